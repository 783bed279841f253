/**
 * Bumped by any change that alters a counted number: parsing, slimming, classification, dedupe
 * (uuid, message key, tool_use id, keep-max and sidechain rules), session folding, or the pricing
 * table (PRICING_VERSION). The aggregator rebuilds its projections from the stream when it grows,
 * so a bump is how a fix reaches numbers already stored. Pure refactors and speed-ups do not bump.
 *
 * 2: subagent worktrees (`…/.claude/worktrees/agent-<id>`) count towards their parent project;
 *    outcome metrics (lines, commits, pull requests, tool decisions) and the per-session hourly
 *    team read model; the server applies the sidechain rule (a sidechain copy of a message
 *    another line already counts is not counted), keyed by `message.id` alone.
 */
export const PROCESSOR_VERSION = 2;
