import type { FileCheckpoint, OffsetsStore } from '../nats/offsets.store';
import { createIngestorMetrics } from '../metrics/ingestor.metrics';
import { trackFile } from '../tail/tracked-file';
import { CheckpointWriter } from './checkpoint-writer';

/** An offsets bucket whose writes complete only when the test says so. */
function heldOffsets() {
  const stored: FileCheckpoint[] = [];
  const held: { resolve: () => void; reject: (err: Error) => void }[] = [];
  const store = (path: string, checkpoint: FileCheckpoint) =>
    new Promise<void>((resolve, reject) => held.push({ resolve: () => (stored.push({ ...checkpoint, path }), resolve()), reject }));
  return { offsets: { store } as unknown as OffsetsStore, stored, held };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function ackLines(writer: CheckpointWriter, file: ReturnType<typeof trackFile>, count: number): void {
  for (let i = 0; i < count; i++) {
    const ticket = file.tracker.add(file.tracker.committed + 10);
    file.tracker.ack(ticket);
    writer.touch(file);
    writer.acked();
  }
}

/** These files are not on disk: no fingerprint to read. */
const noPrint = () => undefined;

describe('CheckpointWriter', () => {
  const newFile = () => trackFile('/t/a.jsonl', { inode: '1', size: 0, mtime: '0' }, 0, { user: 'u', host: 'h', project: 'p', session: 's', file: 'a.jsonl' } as never, 1024);

  it('given a whole window of acks waiting on a slow write, is behind until the write lands', async () => {
    const { offsets, stored, held } = heldOffsets();
    const writer = new CheckpointWriter(offsets, createIngestorMetrics(), 8, noPrint);
    const file = newFile();

    ackLines(writer, file, 4); // half a window: a write starts
    expect(held).toHaveLength(1);
    ackLines(writer, file, 4);
    expect(writer.behind).toBe(true);

    let readOn = false;
    void writer.caughtUp().then(() => (readOn = true));
    held[0].resolve();
    await tick();
    // The first write covered 4 acks; the other 4 start the next write at once.
    expect(stored.map((c) => c.offset)).toEqual([40]);
    expect(writer.behind).toBe(false);
    expect(readOn).toBe(true);
    expect(held).toHaveLength(2);
  });

  it('given a failing write, stays behind until a write succeeds', async () => {
    const { offsets, held } = heldOffsets();
    const writer = new CheckpointWriter(offsets, createIngestorMetrics(), 4, noPrint);
    const file = newFile();
    ackLines(writer, file, 4);
    held[0].reject(new Error('no responders'));
    await tick();
    expect(writer.behind).toBe(true);

    const retry = writer.flush();
    held[1].resolve();
    await retry;
    expect(writer.behind).toBe(false);
  });

  it('given stop, releases a waiting reader and still writes the final checkpoint', async () => {
    const { offsets, stored, held } = heldOffsets();
    const writer = new CheckpointWriter(offsets, createIngestorMetrics(), 2, noPrint);
    const file = newFile();
    ackLines(writer, file, 2);
    const waiting = writer.caughtUp();
    writer.stop();
    await waiting;
    // The write that began at the first ack, then the final one (as the ingestor's stop does).
    const final = writer.flush();
    held[0].resolve();
    await tick();
    held[1].resolve();
    await final;
    expect(stored.map((c) => c.offset)).toEqual([10, 20]);
  });
});
