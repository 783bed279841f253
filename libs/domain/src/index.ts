/** @ccpulse/domain — the pure core: transcript lines in, counted facts out. No I/O, no clock. */
export * from './entry/entry';
export * from './entry/rejection';
export * from './entry/parse-line';
export * from './entry/timestamp';
export * from './entry/to-entry';
export * from './entry/session-from-path';
export * from './entry/text-facts';
export * from './wire/envelope';
export * from './wire/subjects';
export * from './wire/entry-id';
export * from './wire/heartbeat';
export * from './wire/updated';
export * from './version';
