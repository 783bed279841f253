/** The existing entries stream is set up in a way the apps cannot work with, and will not be changed by them. */
export class StreamConfigConflictError extends Error {
  readonly code = 'STREAM_CONFIG_CONFLICT';

  constructor(stream: string, problems: string[], options?: { cause?: unknown }) {
    super(`stream ${stream} exists with a conflicting config: ${problems.join('; ')}`, options);
    this.name = 'StreamConfigConflictError';
  }
}
