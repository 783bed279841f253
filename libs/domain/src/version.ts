/**
 * Bumped by any change that alters a counted number (parsing, classification, dedupe, pricing).
 * The aggregator rebuilds its projections from the stream when this grows.
 */
export const PROCESSOR_VERSION = 1;
