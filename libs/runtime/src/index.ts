export { createAppLogger, isLogSettingError, logLevelOf, LogSettingError, prettyDestination, type AppLoggerOptions } from './app-logger';
export { prettyJsonLine, wantsPrettyLogs } from './pretty-line';
