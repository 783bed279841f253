import type { Entry } from '../entry/entry';

export type EventType = 'tool_use' | 'subagent' | 'mcp_call' | 'slash_command';

/** One counted event: a tool call of an assistant line or a slash command of a user line. */
export interface UsageEvent {
  /** The tool_use id, else `${entryKey}#${index}` (index over the entry's events). */
  key: string;
  eventType: EventType;
  /** The tool's name as written (`Bash`, `Task`, `Skill`, `mcp__github__create_issue`). */
  toolName?: string;
  skillName?: string;
  subagentType?: string;
  /** Second `__` segment of an `mcp__<server>__<tool>` name. */
  mcpServer?: string;
  commandName?: string;
  toolUseId?: string;
}

/** Events of an entry, per the counting rules ("Events"). Skipped kinds yield none. */
export function classifyEvents(entry: Entry, entryKey: string): UsageEvent[] {
  const events: UsageEvent[] = [];
  if (entry.kind === 'assistant') {
    for (const use of entry.toolUses) {
      const key = use.id ?? `${entryKey}#${events.length}`;
      const event: UsageEvent = { key, eventType: 'tool_use', toolName: use.name };
      if (use.id) event.toolUseId = use.id;
      if (use.name === 'Skill') {
        if (use.skill) event.skillName = use.skill;
      } else if (use.name === 'Task' || use.name === 'Agent') {
        event.eventType = 'subagent';
        event.subagentType = use.subagentType ?? use.name;
      } else if (use.name.startsWith('mcp__')) {
        event.eventType = 'mcp_call';
        const server = use.name.split('__')[1];
        if (server) event.mcpServer = server;
      }
      events.push(event);
    }
  } else if (entry.kind === 'user') {
    for (const name of entry.commands) {
      events.push({ key: `${entryKey}#${events.length}`, eventType: 'slash_command', commandName: name });
    }
  }
  return events;
}
