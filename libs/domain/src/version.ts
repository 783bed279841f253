/**
 * Bumped by any change that alters a counted number: parsing, slimming, classification, dedupe
 * (uuid, message key, tool_use id, keep-max and sidechain rules), session folding, or the pricing
 * table (PRICING_VERSION). The aggregator rebuilds its projections from the stream when it grows,
 * so a bump is how a fix reaches numbers already stored. Pure refactors and speed-ups do not bump.
 */
export const PROCESSOR_VERSION = 2;
