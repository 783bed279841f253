import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '@ccpulse/db';
import { createUser, issueToken, markOnboarded } from '@ccpulse/db';

/** One kept API response for a test. */
export interface SeedMessage {
  key?: string;
  user: string;
  session: string;
  project?: string | null;
  model: string;
  ts: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cache5m?: number;
  cache1h?: number;
  cost?: number;
  /** The model had no price (cost 0). */
  unpriced?: boolean;
}

let n = 0;

/** Writes messages and rebuilds the hourly rollup from them (as the aggregator's recompute does). */
export async function seedMessages(db: Kysely<Database>, schema: string, messages: SeedMessage[]): Promise<void> {
  const rows = messages.map((m) => {
    const input = m.input ?? 0;
    const output = m.output ?? 0;
    const cr = m.cacheRead ?? 0;
    const c5 = m.cache5m ?? 0;
    const c1 = m.cache1h ?? 0;
    return {
      message_key: m.key ?? `msg_${++n}_${randomBytes(3).toString('hex')}`,
      entry_key: `e_${++n}`,
      user_name: m.user,
      session_id: m.session,
      project: m.project ?? null,
      model: m.model,
      ts: m.ts,
      is_sidechain: false,
      input_tokens: input,
      output_tokens: output,
      cache_read_tokens: cr,
      cache_creation_tokens: c5 + c1,
      cache_creation_5m_tokens: c5,
      cache_creation_1h_tokens: c1,
      total_tokens: input + output + cr + c5 + c1,
      cost_usd: m.cost ?? 0,
      unpriced: m.unpriced ?? false,
      stream_seq: n,
    };
  });
  if (rows.length) await db.withSchema(schema).insertInto('usage_messages').values(rows).execute();
  await rebuildHourly(db, schema);
}

export async function rebuildHourly(db: Kysely<Database>, schema: string): Promise<void> {
  await sql`delete from ${sql.table(`${schema}.usage_model_hourly`)}`.execute(db);
  await sql`
    insert into ${sql.table(`${schema}.usage_model_hourly`)}
    select date_trunc('hour', ts), user_name, coalesce(project, ''), model,
      sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),
      sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(total_tokens), sum(cost_usd), count(*)
    from ${sql.table(`${schema}.usage_messages`)} where ts is not null
    group by 1, 2, 3, 4`.execute(db);
  await sql`delete from ${sql.table(`${schema}.usage_team_hourly`)}`.execute(db);
  await sql`
    insert into ${sql.table(`${schema}.usage_team_hourly`)}
    select hour, model, sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_creation_tokens),
      sum(cache_creation_5m_tokens), sum(cache_creation_1h_tokens), sum(total_tokens), sum(cost_usd), sum(messages)
    from ${sql.table(`${schema}.usage_model_hourly`)} group by 1, 2`.execute(db);
}

/** A session summary row with defaults for everything not given. */
export async function seedSession(
  db: Kysely<Database>,
  schema: string,
  s: { id: string; user: string; startedAt?: string | null; endedAt?: string; project?: string | null; model?: string | null; prompts?: number; state?: unknown; costUsd?: number; activeSeconds?: number; wallSeconds?: number; totalTokens?: number },
): Promise<void> {
  await db
    .withSchema(schema)
    .insertInto('usage_session_summary')
    .values({
      session_id: s.id,
      user_name: s.user,
      project: s.project ?? null,
      git_branch: 'main',
      started_at: s.startedAt === undefined ? '2026-11-20T10:00:00Z' : s.startedAt,
      ended_at: s.startedAt === null ? null : s.endedAt ?? s.startedAt ?? '2026-11-20T11:00:00Z',
      active_seconds: s.activeSeconds ?? 1800,
      wall_seconds: s.wallSeconds ?? 3600,
      user_messages: 10,
      assistant_messages: 20,
      prompts: s.prompts ?? 5,
      tool_calls: 7,
      tool_errors: 1,
      skill_invocations: 0,
      subagent_dispatches: 1,
      mcp_calls: 0,
      slash_commands: 1,
      distinct_tools: 3,
      distinct_skills: 0,
      primary_model: s.model ?? 'claude-sonnet-4-5',
      input_tokens: 100,
      output_tokens: 200,
      cache_read_tokens: 1000,
      cache_creation_tokens: 50,
      cache_creation_5m_tokens: 50,
      cache_creation_1h_tokens: 0,
      total_tokens: s.totalTokens ?? 1350,
      cost_usd: s.costUsd ?? 0.5,
      processor_version: 1,
      state: JSON.stringify(s.state ?? {}),
      last_seq: 1,
    })
    .execute();
}

/** Entries for home stats: each counts as activity of a session at a time, maybe a prompt. */
export async function seedEntries(
  db: Kysely<Database>,
  schema: string,
  entries: { user: string; session: string; ts: string; project?: string; prompt?: boolean }[],
): Promise<void> {
  if (!entries.length) return;
  await db
    .withSchema(schema)
    .insertInto('usage_entries')
    .values(
      entries.map((e) => ({
        entry_key: `entry_${++n}`,
        user_name: e.user,
        session_id: e.session,
        ts: e.ts,
        kind: e.prompt ? 'user' : 'assistant',
        project: e.project ?? null,
        is_prompt: e.prompt ?? false,
        stream_seq: n,
        entry: JSON.stringify({}),
      })),
    )
    .execute();
}

/** A user and a fresh token for them, through libs/db (plaintext returned, hash stored). */
export async function seedUser(db: Kysely<Database>, name: string, opts: { role?: 'member' | 'admin'; onboarded?: boolean } = {}): Promise<string> {
  await createUser(db, name, opts.role ?? 'member');
  if (opts.onboarded) await markOnboarded(db, name);
  return issueToken(db, name);
}
