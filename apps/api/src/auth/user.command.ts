import { createDatabase, createUser, getUser, issueToken, readDatabaseConfig, revokeTokens, assertMigrated } from '@ccpulse/db';
import { isSubjectToken } from '@ccpulse/domain';

const USAGE = `usage: ccpulse user add NAME [--admin] [--expires 90d]
                                       create (or re-role) a user and print a new token once;
                                       --expires: the token stops working after N days (d) or hours (h)
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
 * `ccpulse user add|revoke`. Tokens are stored hashed (sha256) by libs/db, so the plaintext
 * printed here is the only copy there will ever be.
 */
export async function run(argv: string[], io: CommandOutput = console_, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [verb, name, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h') {
    io.out(USAGE);
    return verb ? 0 : 2;
  }
  if (verb !== 'add' && verb !== 'revoke') {
    io.err(`ccpulse user: unknown subcommand '${verb}'\n\n${USAGE}`);
    return 2;
  }
  if (!name || !isSubjectToken(name)) {
    io.err(`ccpulse user ${verb}: NAME must match [A-Za-z0-9_-]+ (got ${name === undefined ? 'nothing' : `'${name}'`})`);
    return 2;
  }
  const expiresAt = verb === 'add' ? expiryOf(rest, new Date()) : undefined;
  if (typeof expiresAt === 'string') {
    io.err(`ccpulse user add: ${expiresAt}`);
    return 2;
  }
  const unknown = rest.filter((a, i) => !(verb === 'add' && (a === '--admin' || a === '--expires' || rest[i - 1] === '--expires')));
  if (unknown.length > 0) {
    io.err(`ccpulse user ${verb}: unknown option ${unknown[0]}\n\n${USAGE}`);
    return 2;
  }
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
    if (verb === 'add') {
      const existing = await getUser(db, name);
      const role = rest.includes('--admin') ? 'admin' : existing?.role ?? 'member';
      await createUser(db, name, role);
      const token = await issueToken(db, name, { expiresAt });
      const until = expiresAt ? `, valid until ${expiresAt.toISOString()}` : '';
      io.err(`${existing ? 'updated' : 'created'} user ${name} (${role})${until}; the token below is shown only once:`);
      io.out(token);
      return 0;
    }
    if (!(await getUser(db, name))) {
      io.err(`ccpulse user revoke: no user named '${name}'`);
      return 1;
    }
    const n = await revokeTokens(db, name);
    io.out(`revoked ${n} token${n === 1 ? '' : 's'} of ${name}`);
    return 0;
  } catch (err) {
    io.err(`ccpulse user ${verb}: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.destroy();
  }
}

/** `--expires 90d` / `12h` → when the token stops working; a string is the reason it was refused. */
export function expiryOf(args: readonly string[], now: Date): Date | undefined | string {
  const at = args.indexOf('--expires');
  if (at < 0) return undefined;
  const m = /^(\d{1,5})([dh])$/.exec(args[at + 1] ?? '');
  if (!m || Number(m[1]) === 0) return `--expires takes a duration such as 90d or 12h, got ${args[at + 1] === undefined ? 'nothing' : `'${args[at + 1]}'`}`;
  return new Date(now.getTime() + Number(m[1]) * (m[2] === 'd' ? 86_400_000 : 3_600_000));
}
