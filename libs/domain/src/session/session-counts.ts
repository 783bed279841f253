import { countsOf, zeroCounts, type Counts, type GraphQLField } from '../fields/field-spec';

/**
 * The counts the session reducer keeps (session-state.ts increments each one), in the order the
 * summary row, the GraphQL `Session` type and `ccpulse report sessions` list them. A new
 * per-session count is named here and counted there; the summary, the SDL, the report row, the
 * aggregator's row and the dashboard's session query follow from this list.
 */
export const SESSION_COUNTS = {
  userMessages: { type: 'Int!', doc: 'Every user line (tool results included).' },
  assistantMessages: { type: 'Int!', doc: 'Every assistant line (each split line of a response).' },
  prompts: { type: 'Int!', doc: 'User lines carrying human text.' },
  toolCalls: { type: 'Int!', doc: 'tool_use events (Skill included, Task/Agent/MCP not).' },
  toolErrors: { type: 'Int!', doc: 'Tool events whose result was an error.' },
  skillInvocations: { type: 'Int!', doc: 'Skill tool invocations.' },
  subagentDispatches: { type: 'Int!', doc: 'Task/Agent dispatches.' },
  mcpCalls: { type: 'Int!', doc: 'MCP tool calls.' },
  slashCommands: { type: 'Int!', doc: 'Slash commands typed.' },
} as const satisfies Record<string, GraphQLField>;

export type SessionCount = keyof typeof SESSION_COUNTS;
export type SessionCounts = Counts<typeof SESSION_COUNTS>;

export const zeroSessionCounts = (): SessionCounts => zeroCounts(SESSION_COUNTS);

/** Just the counts of a state, summary or row, in declared order. */
export const sessionCountsOf = (from: SessionCounts): SessionCounts => countsOf(SESSION_COUNTS, from);
