/**
 * A setting that cannot work. Thrown while an app reads its configuration, before anything
 * listens or connects, so a wrong value stops it at start with a message that names the setting.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    /** The environment variable or config-file key at fault, e.g. `PORT`. */
    readonly setting: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${setting}: ${reason}`, options);
    this.name = 'ConfigError';
  }
}

/** Narrows a caught value to a {@link ConfigError}. */
export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof ConfigError;
}
