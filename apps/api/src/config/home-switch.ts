import { parseFlag } from './flag';

/** The `home:` section of the `CCPULSE_CONFIG` YAML file, as far as the API reads it. */
export interface ApiFileConfig {
  home?: { show_status_frame?: unknown };
}

/**
 * The operator switch for the home status frame: env `CCPULSE_HOME_SHOW_STATUS_FRAME` wins over
 * the config file's `home.show_status_frame`, which wins over the default (shown). An empty env
 * value counts as unset so `VAR=` in a compose file does not silently switch it off.
 */
export function resolveHomeShowStatusFrame(envValue: string | undefined, file: ApiFileConfig | undefined): boolean {
  if (envValue !== undefined && envValue.trim() !== '') {
    return parseFlag('CCPULSE_HOME_SHOW_STATUS_FRAME', envValue);
  }
  const fromFile = file?.home?.show_status_frame;
  if (fromFile !== undefined && fromFile !== null) {
    return parseFlag('home.show_status_frame (CCPULSE_CONFIG)', fromFile);
  }
  return true;
}
