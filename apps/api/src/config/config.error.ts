/**
 * A setting that cannot work. Thrown while the configuration is read, before anything listens,
 * so a wrong value stops the API at start with a message that names it.
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

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof ConfigError;
}
