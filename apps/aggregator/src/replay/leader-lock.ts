import pg from 'pg';

/**
 * A Postgres session advisory lock held on a connection of its own: the aggregator that holds
 * `ccpulse-aggregator:<stream>:v<N>` is the only one consuming and building for that version;
 * others wait on standby. If the lock's connection dies the lock is gone, and `onLost` fires so
 * the holder stops before a standby takes over. (Each batch also checks the checkpoint under a
 * row lock, so even that overlap cannot double-apply.)
 */
export class LeaderLock {
  private client: pg.Client | undefined;
  private lost = false;

  constructor(
    private readonly databaseUrl: string,
    readonly key: string,
  ) {}

  /** Tries once; true when this process now holds the lock. */
  async tryAcquire(onLost: (err: unknown) => void): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 10_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [this.key]);
      if (!r.rows[0]?.ok) {
        await client.end().catch(() => undefined);
        return false;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    this.lost = false;
    const lose = (err: unknown) => {
      if (this.lost || this.client !== client) return;
      this.lost = true;
      this.client = undefined;
      onLost(err);
    };
    client.on('error', lose);
    client.on('end', () => lose(new Error('lock connection ended')));
    return true;
  }

  /** Polls until acquired or `signal` aborts; returns whether it was acquired. */
  async acquire(onLost: (err: unknown) => void, signal: AbortSignal, pollMs = 2000): Promise<boolean> {
    while (!signal.aborted) {
      try {
        if (await this.tryAcquire(onLost)) return true;
      } catch {
        // Postgres unreachable: keep polling; the app's readiness says why.
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
    return false;
  }

  held(): boolean {
    return this.client !== undefined;
  }

  async release(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await client.query('select pg_advisory_unlock(hashtext($1))', [this.key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
