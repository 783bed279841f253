import { createDatabase, createUser, getUser, issueToken, listUsers, readDatabaseConfig, revokeTokens, rotateTokens, assertMigrated } from '@ccpulse/db';
import { isSubjectToken } from '@ccpulse/domain';

const USAGE = `usage: ccpulse user add NAME [--admin] [--expires 90d]
                                       create a user and print their token once;
                                       --expires: the token stops working after N days (d) or hours (h)
       ccpulse user list               every user with role, live tokens and last use
       ccpulse user rotate NAME [--expires 90d]
                                       revoke every token of a user and print one new token once
       ccpulse user revoke NAME        revoke every token of a user

NAME is [A-Za-z0-9_-]+, the same name the user's ingestor publishes under.
Reads DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).`;

/** Where the command writes; injectable so tests read what a person would see. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

const console_: CommandOutput = { out: (l) => console.log(l), err: (l) => console.error(l) };

/**
 * `ccpulse user add|list|rotate|revoke`. Tokens are stored hashed (sha256) by libs/db, so the plaintext
 * printed here is the only copy there will ever be.
 */
export async function run(argv: string[], io: CommandOutput = console_, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [verb, name, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h') {
    io.out(USAGE);
    return verb ? 0 : 2;
  }
  if (!['add', 'list', 'rotate', 'revoke'].includes(verb)) {
    io.err(`ccpulse user: unknown subcommand '${verb}'\n\n${USAGE}`);
    return 2;
  }
  if (verb === 'list') {
    if (name !== undefined) {
      io.err(`ccpulse user list: takes no arguments, got '${name}'`);
      return 2;
    }
    return withDatabase(verb, io, env, async (db) => {
      for (const line of userTable(await listUsers(db))) io.out(line);
      return 0;
    });
  }
  if (!name || !isSubjectToken(name)) {
    io.err(`ccpulse user ${verb}: NAME must match [A-Za-z0-9_-]+ (got ${name === undefined ? 'nothing' : `'${name}'`})`);
    return 2;
  }
  const expiresAt = verb === 'add' || verb === 'rotate' ? expiryOf(rest, new Date()) : undefined;
  if (typeof expiresAt === 'string') {
    io.err(`ccpulse user ${verb}: ${expiresAt}`);
    return 2;
  }
  const known = (a: string, i: number) =>
    (verb === 'add' && a === '--admin') || ((verb === 'add' || verb === 'rotate') && (a === '--expires' || rest[i - 1] === '--expires'));
  const unknown = rest.filter((a, i) => !known(a, i));
  if (unknown.length > 0) {
    io.err(`ccpulse user ${verb}: unknown option ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
  return withDatabase(verb, io, env, async (db) => {
    const existing = await getUser(db, name);
    const until = expiresAt ? `, valid until ${expiresAt.toISOString()}` : '';
    if (verb === 'add') {
      if (existing) {
        // Adding again used to issue one more token and keep the old ones valid, silently.
        const live = (await listUsers(db)).find((u) => u.name === name)?.liveTokens ?? 0;
        io.err(
          `ccpulse user add: a user named '${name}' already exists (${existing.role}, ${live} live token${live === 1 ? '' : 's'}); nothing changed.\n` +
            `  replace their tokens with a new one: ccpulse user rotate ${name}\n` +
            `  revoke their tokens:                  ccpulse user revoke ${name}`,
        );
        return 1;
      }
      const role = rest.includes('--admin') ? 'admin' : 'member';
      await createUser(db, name, role);
      const token = await issueToken(db, name, { expiresAt });
      io.err(`created user ${name} (${role})${until}; the token below is shown only once:`);
      io.out(token);
      return 0;
    }
    if (!existing) {
      io.err(`ccpulse user ${verb}: no user named '${name}' (see ccpulse user list)`);
      return 1;
    }
    if (verb === 'rotate') {
      const { token, revoked } = await rotateTokens(db, name, { expiresAt });
      io.err(`revoked ${revoked} token${revoked === 1 ? '' : 's'} of ${name} and issued a new one${until}; it is shown only once:`);
      io.out(token);
      return 0;
    }
    const n = await revokeTokens(db, name);
    io.out(`revoked ${n} token${n === 1 ? '' : 's'} of ${name}`);
    return 0;
  });
}

/** Opens the (migrated) database for one subcommand and closes it; failures become exit codes. */
async function withDatabase(verb: string, io: CommandOutput, env: NodeJS.ProcessEnv, work: (db: ReturnType<typeof createDatabase>) => Promise<number>): Promise<number> {
  let config;
  try {
    config = readDatabaseConfig(env);
  } catch (err) {
    io.err(`ccpulse user: ${(err as Error).message}`);
    return 2;
  }
  const db = createDatabase({ ...config, poolSize: 1 });
  try {
    await assertMigrated(db);
    return await work(db);
  } catch (err) {
    io.err(`ccpulse user ${verb}: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/** `user list` as aligned columns. */
function userTable(users: { name: string; role: string; liveTokens: number; lastUsedAt: Date | null }[]): string[] {
  if (users.length === 0) return ['no users yet: ccpulse user add NAME [--admin]'];
  const rows = [['NAME', 'ROLE', 'LIVE TOKENS', 'LAST USED'], ...users.map((u) => [u.name, u.role, String(u.liveTokens), u.lastUsedAt ? u.lastUsedAt.toISOString() : 'never'])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
}

/** `--expires 90d` / `12h` → when the token stops working; a string is the reason it was refused. */
export function expiryOf(args: readonly string[], now: Date): Date | undefined | string {
  const at = args.indexOf('--expires');
  if (at < 0) return undefined;
  const m = /^(\d{1,5})([dh])$/.exec(args[at + 1] ?? '');
  if (!m || Number(m[1]) === 0) return `--expires takes a duration such as 90d or 12h, got ${args[at + 1] === undefined ? 'nothing' : `'${args[at + 1]}'`}`;
  return new Date(now.getTime() + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000));
}
