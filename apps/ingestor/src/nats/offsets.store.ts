import { createHash } from 'node:crypto';
import { Kvm, type KV } from '@nats-io/kv';
import { StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/** Where a file was read up to: only past lines whose PubAck arrived. */
export interface FileCheckpoint {
  v: 1;
  /** Absolute path on the host (for people reading the bucket; the key is its hash). */
  path: string;
  /** Decimal inode: a different inode at the same path means the file was replaced. */
  inode: string;
  offset: number;
  /** File size when the checkpoint was stored. */
  size: number;
}

/** KV key of a file: `<host>.<sha256(path) hex 32>` (KV keys allow only a few characters). */
export function checkpointKey(host: string, path: string): string {
  const hostToken = host.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${hostToken}.${createHash('sha256').update(path).digest('hex').slice(0, 32)}`;
}

/** Checkpoints in the JetStream KV bucket, so a restarted or replaced machine resumes in place. */
export class OffsetsStore {
  private constructor(
    private readonly kv: KV,
    private readonly host: string,
  ) {}

  /** Opens the bucket, creating it (file storage, one revision per key) when missing. */
  static async open(nc: NatsConnection, bucket: string, host: string): Promise<OffsetsStore> {
    const kv = await new Kvm(nc).create(bucket, { history: 1, storage: StorageType.File });
    return new OffsetsStore(kv, host);
  }

  async load(path: string): Promise<FileCheckpoint | undefined> {
    const entry = await this.kv.get(checkpointKey(this.host, path));
    if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return undefined;
    try {
      const value = entry.json<FileCheckpoint>();
      return typeof value?.offset === 'number' && typeof value.inode === 'string' ? value : undefined;
    } catch {
      return undefined; // an unreadable checkpoint only costs a re-read; ids make it harmless
    }
  }

  async store(checkpoint: FileCheckpoint): Promise<void> {
    await this.kv.put(checkpointKey(this.host, checkpoint.path), JSON.stringify(checkpoint));
  }

  async forget(path: string): Promise<void> {
    await this.kv.delete(checkpointKey(this.host, path));
  }
}
