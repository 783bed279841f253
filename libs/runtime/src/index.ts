export { createAppLogger, isLogSettingError, logLevelOf, LogSettingError, prettyDestination, type AppLoggerOptions } from './logging/app-logger';
export { prettyJsonLine, wantsPrettyLogs } from './logging/pretty-line';
export { ConfigError, isConfigError } from './config/config.error';
export { connectNats, natsServers, type NatsConnectOptions, type NatsCredentials, type NatsRetry } from './nats/nats-connect';
export { NatsUnavailableError } from './nats/nats-unavailable.error';
export { findNatsServer, natsServerIfInstalled, NatsServerMissingError } from './nats/nats-server.binary';
export { drainOrClose, type DrainOutcome } from './nats/drain-or-close';
export { shutdownSignal } from './process/shutdown-signal';
