/**
 * Simulated ingestors in child processes (publisher.js), as the real pipeline runs each ingestor
 * in its own process: publishing at thousands of lines/s from the scenario's own event loop would
 * compete with the API and the subscribers it measures, and cap the rate it can offer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestMessage } from '../../../apps/aggregator/src/test-support/fixture-messages';
import { tempRoot } from './workload';

/** One simulated ingestor: its user and the messages it publishes, in order. */
export interface PublisherUser {
  name: string;
  messages: TestMessage[];
}

export interface PublishOutcome {
  acked: number;
  duplicates: number;
  /** Publishes that failed and were retried with the same id. */
  failed: number;
  /** From the common start to the last process's last ack. */
  publishMs: number;
}

export interface Publishers {
  /** Starts every process's publishing at one instant and resolves when all have finished. */
  run(): Promise<PublishOutcome>;
  /** Kills processes still running and removes the job files. */
  dispose(): void;
}

interface Done {
  acked: number;
  duplicates: number;
  failed: number;
  finished: number;
}

/**
 * Splits `users` over `processes` child processes (each user keeps its own NATS connection),
 * each paced to `ratePerUser` messages/s per user; resolves once every process has connected.
 */
export async function startPublishers(natsUrl: string, users: PublisherUser[], processes: number, ratePerUser: number): Promise<Publishers> {
  const dir = tempRoot('ccpulse-load-');
  const children: ChildProcess[] = [];
  const outputs: string[] = [];
  const dispose = (): void => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const ready: Promise<void>[] = [];
  const done: Promise<Done>[] = [];
  try {
    for (let p = 0; p < processes; p++) {
      const share = users.filter((_, i) => i % processes === p);
      const job = path.join(dir, `job-${p}.json`);
      fs.writeFileSync(
        job,
        JSON.stringify({
          natsUrl,
          ratePerUser,
          users: share.map((u) => ({ name: u.name, messages: u.messages.map((m) => [m.subject, m.msgId, Buffer.from(m.data).toString('base64')]) })),
        }),
      );
      // No inherited node flags: an --inspect on the jest process must not be claimed twice.
      const child = fork(path.join(__dirname, 'publisher.js'), [job], { execArgv: [], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
      children.push(child);
      outputs.push('');
      const keep = (s: string) => (outputs[p] = (outputs[p] + s).slice(-4000));
      child.stdout?.setEncoding('utf8').on('data', keep);
      child.stderr?.setEncoding('utf8').on('data', keep);
      // 'close', not 'exit': a child's last IPC message and output can still be on their way when
      // 'exit' fires, and a publisher that reported and then ended must not read as one that failed.
      const exited = new Promise<never>((_, reject) =>
        child.once('close', (code, signal) => reject(new Error(`publisher ${p} exited ${code ?? signal} before reporting:\n${outputs[p]}`))),
      );
      exited.catch(() => undefined);
      const message = (key: 'ready' | 'done') =>
        Promise.race([new Promise<any>((resolve) => child.on('message', (m: any) => m[key] && resolve(m[key]))), exited]);
      ready.push(message('ready').then(() => undefined));
      const finished = message('done');
      finished.catch(() => undefined); // observed by run(); a setup failure is reported by `ready`
      done.push(finished);
    }
    await Promise.all(ready);
  } catch (err) {
    dispose();
    throw err;
  }
  return {
    async run() {
      const started = Date.now();
      for (const c of children) c.send({ started });
      const results = await Promise.all(done);
      return {
        acked: results.reduce((n, r) => n + r.acked, 0),
        duplicates: results.reduce((n, r) => n + r.duplicates, 0),
        failed: results.reduce((n, r) => n + r.failed, 0),
        publishMs: Math.max(...results.map((r) => r.finished)) - started,
      };
    },
    dispose,
  };
}
