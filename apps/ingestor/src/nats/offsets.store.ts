import { createHash } from 'node:crypto';
import { Kvm, type KV, type KvEntry } from '@nats-io/kv';
import { StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Where a file was read up to: only past lines whose PubAck arrived. */
export interface FileCheckpoint {
  v: 1;
  /**
   * Absolute path on the host, for people reading the bucket (the key is its hash). Left out
   * under `INGEST_REDACT=paths`: on a team's NATS, other developers can read the bucket.
   */
  path?: string;
  /** Decimal inode: a different inode at the same path means the file was replaced. */
  inode: string;
  offset: number;
  /** File size when the checkpoint was stored. */
  size: number;
  /** The file's mtime (ns, decimal) at that stat: with `size`, tells an untouched file without reading it. */
  mtime?: string;
  /** Fingerprint of the bytes just before `offset` (see tail/fingerprint.ts): a mismatch means rewritten in place. */
  print?: string;
}

/** KV key of a file: `<host>.<sha256(path) hex 32>` (KV keys allow only a few characters). */
export function checkpointKey(host: string, path: string): string {
  return `${hostToken(host)}.${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
}

function hostToken(host: string): string {
  return host.replace(/[^A-Za-z0-9_-]/g, '_');
}

function decode(entry: KvEntry | null): FileCheckpoint | undefined {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
  try {
    const value = entry.json<FileCheckpoint>();
    return typeof value?.offset === 'number' && typeof value.inode === 'string' ? value : undefined;
  } catch {
    return undefined; // an unreadable checkpoint only costs a re-read; ids make it harmless
  }
}

/** This host's checkpoints as loaded at start-up, looked up by path (they are stored by its hash). */
export class StoredCheckpoints {
  constructor(
    private readonly host: string,
    private readonly byKey: ReadonlyMap<string, FileCheckpoint> = new Map(),
  ) {}

  get(path: string): FileCheckpoint | undefined {
    return this.byKey.get(checkpointKey(this.host, path));
  }
}

/** Checkpoints in the JetStream KV bucket, so a restarted or replaced machine resumes in place. */
export class OffsetsStore {
  private constructor(
    private readonly kv: KV,
    private readonly host: string,
    private readonly keepPaths: boolean,
  ) {}

  /**
   * Opens the bucket, creating it (file storage, one revision per key) when missing. With
   * `keepPaths: false` (`INGEST_REDACT=paths`) the stored values carry no path.
   */
  static async open(nc: NatsConnection, bucket: string, host: string, { keepPaths = true } = {}): Promise<OffsetsStore> {
    const kv = await new Kvm(nc).create(bucket, { history: 1, storage: StorageType.File });
    return new OffsetsStore(kv, host, keepPaths);
  }

  async load(path: string): Promise<FileCheckpoint | undefined> {
    return decode(await this.kv.get(checkpointKey(this.host, path)));
  }

  /**
   * Every checkpoint of this host, by path, in one pass over the bucket (one ordered consumer
   * rather than a request per file): start-up with ten thousand files reads them in well under
   * a second.
   */
  async loadAll(): Promise<StoredCheckpoints> {
    const byKey = new Map<string, FileCheckpoint>();
    const entries = await this.kv.history({ key: `${hostToken(this.host)}.>` });
    for await (const entry of entries) {
      const checkpoint = decode(entry);
      // One revision per key: a deleted checkpoint comes as its DEL marker alone, which decodes to nothing.
      if (checkpoint) byKey.set(entry.key, checkpoint);
    }
    if (!this.keepPaths) await this.dropStoredPaths(byKey);
    return new StoredCheckpoints(this.host, byKey);
  }

  /**
   * Rewrites the checkpoints stored with their path before paths were redacted: most files never
   * grow again, so they would otherwise keep showing their path to whoever reads the bucket.
   */
  private async dropStoredPaths(byKey: Map<string, FileCheckpoint>): Promise<void> {
    const named = [...byKey].filter(([, checkpoint]) => checkpoint.path !== undefined);
    await Promise.all(
      named.map(async ([key, { path: _path, ...rest }]) => {
        await this.kv.put(key, JSON.stringify(rest));
        byKey.set(key, rest);
      }),
    );
  }

  /** Stores where `path` was read up to. */
  async store(path: string, checkpoint: Omit<FileCheckpoint, 'path'>): Promise<void> {
    const value = this.keepPaths ? { ...checkpoint, path } : checkpoint;
    await this.kv.put(checkpointKey(this.host, path), JSON.stringify(value));
  }

  async forget(path: string): Promise<void> {
    await this.kv.delete(checkpointKey(this.host, path));
  }
}
