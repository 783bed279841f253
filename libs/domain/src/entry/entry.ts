import type { LineChange } from '../outcomes/line-changes';

/**
 * A transcript line after parsing and slimming: the one shape every part of ccpulse works on.
 * It is also what travels on the wire (inside an EntryEnvelope), so it carries no prompt,
 * assistant or tool text unless the user opted into full content. Everything the counting rules
 * read from text (slash commands, whether a user line is a human prompt, patch line counts) is
 * derived on the developer's machine and carried as plain facts.
 */
export interface Entry {
  /** Claude Code's `type` as written (`user`, `assistant`, `progress`, … or anything newer). */
  type: string;
  /** The type as ccpulse understands it; unseen types are `unknown` and still counted as seen. */
  kind: EntryKind;
  uuid?: string;
  /** From the line, else from the file's path (`<session>.jsonl`, `<session>/subagents/…`). */
  sessionId?: string;
  /** RFC 3339 as written on the line (any precision); absent when the line has none. */
  timestamp?: string;
  /** `timestamp` as epoch milliseconds, fraction kept (microsecond lines stay exact). */
  ts?: number;
  cwd?: string;
  gitBranch?: string;
  isSidechain: boolean;
  isMeta: boolean;
  isCompactSummary: boolean;
  agentId?: string;
  version?: string;
  requestId?: string;
  /** Assistant message facts; absent on other lines. */
  message?: AssistantMessage;
  /** tool_use items of an assistant line, with only the input fields the rules read. */
  toolUses: ToolUse[];
  /** tool_result items of a user line, or a legacy top-level `tool_use_result` line. */
  toolResults: ToolResult[];
  /** Slash-command names typed on a user line (`<command-name>` tags or a leading `/name`). */
  commands: string[];
  /** A user line carrying human text (see counting-rules "Prompts"). */
  isPrompt: boolean;
  /** The original `message.content`, only with INGEST_CONTENT=full. */
  content?: unknown;
}

export type EntryKind =
  | 'user'
  | 'assistant'
  | 'system'
  | 'summary'
  | 'file-history-snapshot'
  | 'queue-operation'
  | 'progress'
  | 'attachment'
  | 'custom-title'
  | 'tool_use_result'
  | 'unknown';

export interface AssistantMessage {
  id?: string;
  model?: string;
  /** Normalised counters; a field that was not a non-negative integer is 0. */
  usage?: TokenCounts;
  /** The line's own `costUSD`, used only in cost mode `auto`/`display`. */
  costUsd?: number;
}

/** The four API counters plus the 5m/1h split of cache writes. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  /** Total cache writes (`cache_creation_input_tokens`). */
  cacheCreation: number;
  /** 5-minute cache writes; equals cacheCreation when the line has no split. */
  cacheCreation5m: number;
  cacheCreation1h: number;
}

export interface ToolUse {
  /** tool_use id (`toolu_…`); events are deduplicated by it. */
  id?: string;
  name: string;
  /** `Skill` input: `skill`, else `name`. */
  skill?: string;
  /** `Task`/`Agent` input: `subagent_type`. */
  subagentType?: string;
  /** `TodoWrite` input: the todos' statuses only. */
  todoStatuses?: string[];
  /** Edit/MultiEdit/Write/NotebookEdit: lines the input would add and remove (counts, no text). */
  lines?: LineChange;
  /** Bash: `git commit` runs in the command (only when non-zero). */
  commits?: number;
  /** Bash: `gh pr create` runs in the command (only when non-zero). */
  pullRequests?: number;
}

export interface ToolResult {
  toolUseId: string;
  isError: boolean;
  /** Lines added + removed in a structured patch (Edit/Write/MultiEdit results). */
  patchLines?: number;
  /** Lines added and removed by a structured patch that has at least one hunk. */
  patch?: LineChange;
  /** The person declined the use (see counting-rules "Outcome metrics"); only when true. */
  rejected?: boolean;
}
