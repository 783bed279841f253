import type { AssistantMessage, Entry, EntryKind, TokenCounts, ToolResult, ToolUse } from './entry';
import { sessionIdFromPath } from './session-from-path';
import { isHumanText, slashCommandsIn } from './text-facts';
import { parseTimestamp } from './timestamp';
import { patchChange } from '../outcomes/line-changes';
import { inputLineChange, vcsActionsIn } from '../outcomes/tool-input-facts';
import { isRejection } from '../outcomes/tool-result-facts';

/** `slim` (the default) keeps no prompt, assistant or tool text; `full` is an explicit opt-in. */
export type ContentMode = 'slim' | 'full';

export interface ToEntryOptions {
  /** Path of the line's file relative to its transcript root; names the session when the line does not. */
  file?: string;
  content?: ContentMode;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set<EntryKind>([
  'user', 'assistant', 'system', 'summary', 'file-history-snapshot', 'queue-operation',
  'progress', 'attachment', 'custom-title', 'tool_use_result',
]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** A token count: a non-negative safe integer, else 0 (a string, float, boolean or null is ignored). */
function count(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;
}

/**
 * A parsed line to an Entry: typed, with everything the counting rules need and, by default,
 * no text at all. Never throws on any JSON object.
 */
export function toEntry(raw: Json, options: ToEntryOptions = {}): Entry {
  const type = typeof raw.type === 'string' ? raw.type : 'unknown';
  const kind = (KNOWN_KINDS.has(type) ? type : 'unknown') as EntryKind;
  const message = isObject(raw.message) ? raw.message : undefined;
  const timestamp = str(raw.timestamp);
  // Optional fields are only ever assigned when present: deleting keys later would push V8 into
  // slow dictionary-mode objects on the hottest path of the ingestor and the report.
  const entry: Entry = {
    type,
    kind,
    isSidechain: raw.isSidechain === true,
    isMeta: raw.isMeta === true,
    isCompactSummary: raw.isCompactSummary === true,
    toolUses: [],
    toolResults: [],
    commands: [],
    isPrompt: false,
  };
  const uuid = nonEmpty(raw.uuid);
  if (uuid !== undefined) entry.uuid = uuid;
  const sessionId = nonEmpty(raw.sessionId) ?? (options.file ? sessionIdFromPath(options.file) : undefined);
  if (sessionId !== undefined) entry.sessionId = sessionId;
  if (timestamp !== undefined) {
    entry.timestamp = timestamp;
    const ts = parseTimestamp(timestamp);
    if (ts !== undefined) entry.ts = ts;
  }
  const cwd = str(raw.cwd);
  if (cwd !== undefined) entry.cwd = cwd;
  const gitBranch = str(raw.gitBranch);
  if (gitBranch !== undefined) entry.gitBranch = gitBranch;
  const agentId = nonEmpty(raw.agentId);
  if (agentId !== undefined) entry.agentId = agentId;
  const version = str(raw.version);
  if (version !== undefined) entry.version = version;
  const requestId = nonEmpty(raw.requestId);
  if (requestId !== undefined) entry.requestId = requestId;

  const content = message?.content;
  if (kind === 'assistant' && message) {
    entry.message = assistantMessage(message, raw);
    if (Array.isArray(content)) entry.toolUses = toolUsesIn(content);
  } else if (kind === 'user') {
    entry.toolResults = toolResultsIn(content, raw.toolUseResult);
    readUserText(entry, content);
  } else if (kind === 'tool_use_result') {
    const id = nonEmpty(raw.tool_use_id) ?? nonEmpty(raw.toolUseId);
    if (id) entry.toolResults = [{ toolUseId: id, isError: raw.is_error === true }];
  }
  if (options.content === 'full' && content !== undefined) entry.content = content;
  return entry;
}

function assistantMessage(message: Json, raw: Json): AssistantMessage {
  const out: AssistantMessage = {};
  const id = nonEmpty(message.id);
  const model = nonEmpty(message.model);
  if (id) out.id = id;
  if (model) out.model = model;
  if (isObject(message.usage)) out.usage = tokenCounts(message.usage);
  if (typeof raw.costUSD === 'number' && Number.isFinite(raw.costUSD)) out.costUsd = raw.costUSD;
  return out;
}

/** `message.usage` to counters; without a 5m/1h split every cache write is a 5-minute write. */
export function tokenCounts(usage: Json): TokenCounts {
  const cacheCreation = count(usage.cache_creation_input_tokens);
  const split = isObject(usage.cache_creation) ? usage.cache_creation : undefined;
  const has5m = split !== undefined && typeof split.ephemeral_5m_input_tokens === 'number';
  const has1h = split !== undefined && typeof split.ephemeral_1h_input_tokens === 'number';
  const cacheCreation1h = has1h ? count(split!.ephemeral_1h_input_tokens) : 0;
  const cacheCreation5m = has5m || has1h ? count(split!.ephemeral_5m_input_tokens) : cacheCreation;
  return {
    input: count(usage.input_tokens),
    output: count(usage.output_tokens),
    cacheRead: count(usage.cache_read_input_tokens),
    cacheCreation,
    cacheCreation5m,
    cacheCreation1h,
  };
}

function toolUsesIn(content: unknown[]): ToolUse[] {
  const uses: ToolUse[] = [];
  for (const item of content) {
    if (!isObject(item) || item.type !== 'tool_use') continue;
    const name = nonEmpty(item.name);
    if (!name) continue;
    const use: ToolUse = { name };
    const id = nonEmpty(item.id);
    if (id) use.id = id;
    const input = isObject(item.input) ? item.input : {};
    if (name === 'Skill') {
      const skill = nonEmpty(input.skill) ?? nonEmpty(input.name);
      if (skill) use.skill = skill;
    } else if (name === 'Task' || name === 'Agent') {
      const subagentType = nonEmpty(input.subagent_type);
      if (subagentType) use.subagentType = subagentType;
    } else if (name === 'TodoWrite' && Array.isArray(input.todos)) {
      use.todoStatuses = input.todos.map((t) => (isObject(t) ? (str(t.status) ?? '') : ''));
    } else if (name === 'Bash' && typeof input.command === 'string') {
      const vcs = vcsActionsIn(input.command);
      if (vcs.commits > 0) use.commits = vcs.commits;
      if (vcs.pullRequests > 0) use.pullRequests = vcs.pullRequests;
    } else {
      // Counts only: the edit's text is read here, on the developer's machine, and dropped.
      const lines = inputLineChange(name, input);
      if (lines) use.lines = lines;
    }
    uses.push(use);
  }
  return uses;
}

function toolResultsIn(content: unknown, toolUseResult: unknown): ToolResult[] {
  if (!Array.isArray(content)) return [];
  const results: ToolResult[] = [];
  for (const item of content) {
    if (!isObject(item) || item.type !== 'tool_result') continue;
    const id = nonEmpty(item.tool_use_id);
    if (!id) continue;
    const result: ToolResult = { toolUseId: id, isError: item.is_error === true };
    if (isRejection(item.content, undefined)) result.rejected = true;
    results.push(result);
  }
  // The line's toolUseResult describes its one result (Claude Code writes one result per line).
  if (results.length === 1) {
    const patchLines = patchLinesIn(toolUseResult);
    if (patchLines !== undefined) results[0].patchLines = patchLines;
    const patch = isObject(toolUseResult) ? patchChange(toolUseResult.structuredPatch) : undefined;
    if (patch) results[0].patch = patch;
    if (isRejection(undefined, toolUseResult)) results[0].rejected = true;
  }
  return results;
}

/** Added + removed lines of a `structuredPatch` (Edit, MultiEdit, Write results). */
function patchLinesIn(result: unknown): number | undefined {
  if (!isObject(result) || !Array.isArray(result.structuredPatch)) return undefined;
  let n = 0;
  for (const hunk of result.structuredPatch) {
    if (!isObject(hunk) || !Array.isArray(hunk.lines)) continue;
    for (const line of hunk.lines) if (typeof line === 'string' && (line[0] === '+' || line[0] === '-')) n++;
  }
  return n;
}

/** Slash commands and whether a person wrote this line, read from its texts before they are dropped. */
function readUserText(entry: Entry, content: unknown): void {
  const texts: string[] = [];
  if (typeof content === 'string') texts.push(content);
  else if (Array.isArray(content)) {
    for (const item of content) if (isObject(item) && item.type === 'text' && typeof item.text === 'string') texts.push(item.text);
  }
  let human = false;
  for (const text of texts) {
    entry.commands.push(...slashCommandsIn(text));
    if (isHumanText(text)) human = true;
  }
  entry.isPrompt = human && !entry.isMeta && !entry.isCompactSummary;
}
