/**
 * A setting that cannot work. Thrown while the configuration is read, before anything connects,
 * so a wrong value stops the aggregator at start with a message naming the setting.
 */
export class AggregatorConfigError extends Error {
  readonly code = 'AGGREGATOR_CONFIG_INVALID';

  constructor(
    /** The environment variable at fault, e.g. `AGGREGATOR_BATCH_SIZE`. */
    readonly setting: string,
    reason: string,
  ) {
    super(`${setting}: ${reason}`);
    this.name = 'AggregatorConfigError';
  }
}

export function isAggregatorConfigError(err: unknown): err is AggregatorConfigError {
  return err instanceof AggregatorConfigError;
}
