/** A setting is wrong: the ingestor refuses to start and says which one and why. */
export class IngestConfigError extends Error {
  readonly code = 'INGEST_CONFIG_INVALID';

  constructor(
    readonly setting: string,
    reason: string,
  ) {
    super(`${setting}: ${reason}`);
    this.name = 'IngestConfigError';
  }
}
