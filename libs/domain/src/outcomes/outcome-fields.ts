import { addCounts, zeroCounts, type Counts, type GraphQLField } from '../fields/field-spec';

/**
 * The outcome counts (docs/outcome-metrics.md) as every total of them carries them: a team row,
 * a usage row, `ccpulse report team`. How each is counted is `addOutcome` in outcome-counts.ts.
 */
export const OUTCOME_FIELDS = {
  linesAdded: { type: 'Int!', doc: 'Lines added by Edit, MultiEdit, Write and NotebookEdit uses that succeeded.' },
  linesRemoved: { type: 'Int!', doc: 'Lines removed by those uses.' },
  commits: { type: 'Int!', doc: '`git commit` runs by Claude Code that succeeded.' },
  pullRequests: { type: 'Int!', doc: '`gh pr create` runs by Claude Code that succeeded.' },
  editsAccepted: { type: 'Int!', doc: 'Edit, MultiEdit, Write and NotebookEdit uses the person let run.' },
  editsRejected: { type: 'Int!', doc: 'Edit, MultiEdit, Write and NotebookEdit uses the person rejected.' },
} as const satisfies Record<string, GraphQLField>;

export type OutcomeTotals = Counts<typeof OUTCOME_FIELDS>;

export const zeroOutcomeTotals = (): OutcomeTotals => zeroCounts(OUTCOME_FIELDS);

/** Adds `from`'s outcome counts into `into` (mutated; its other fields are left alone). */
export const addOutcomeTotals = <T extends OutcomeTotals>(into: T, from: OutcomeTotals): T => addCounts(OUTCOME_FIELDS, into, from);
