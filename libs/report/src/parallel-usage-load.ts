import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InOrder } from './in-order';
import type { UsageUnit } from './usage-load-plan';
import type { UnitResult } from './usage-segment.reader';

/** What every reader thread is started with. */
export interface UsageWorkerData {
  project?: string;
  /** Per file of the plan: its project directory matches `project` (or there is no filter). */
  projectDirMatches: boolean[];
}

export interface UnitRequest {
  index: number;
  unit: UsageUnit;
}

export interface UnitReply {
  index: number;
  result: UnitResult;
}

/**
 * Starts the reader module in a thread. Our path aliases are installed per thread (bin/ccpulse.js
 * does it for the main one), so the thread maps `@ccpulse/domain` to the file the main thread
 * resolved before it loads anything that imports it.
 */
const BOOT = `
const Module = require('node:module');
const { workerData } = require('node:worker_threads');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, request === '@ccpulse/domain' ? workerData.domainEntry : request, ...rest);
};
require(workerData.workerEntry);
`;

const WORKER_ENTRY = join(__dirname, 'usage-load.worker.js');

/** False when running from the TypeScript sources (tests), where there is no compiled reader to start. */
export function readerThreadsAvailable(): boolean {
  return existsSync(WORKER_ENTRY);
}

/** Units a reader thread holds at once: it starts the next while its last reply waits for the main thread. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Reads the units on `threads` threads — this one and `threads - 1` reader threads, each taking
 * the next unit as it finishes one — and hands the results to `onResult` strictly in unit order,
 * whatever order they finish in: what the caller builds from them cannot depend on scheduling.
 * This thread reads too, from the start, so the reader threads' start-up is not waited for.
 */
export async function readUnitsInParallel(
  units: UsageUnit[],
  threads: number,
  data: UsageWorkerData,
  readHere: (unit: UsageUnit) => UnitResult,
  onResult: (result: UnitResult, index: number) => void,
): Promise<void> {
  const workerData = { ...data, domainEntry: require.resolve('@ccpulse/domain'), workerEntry: WORKER_ENTRY };
  const inOrder = new InOrder<UnitResult>(onResult);
  const workers: Worker[] = [];
  let next = 0;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const fail = (error: unknown) => {
    failure ??= { error };
    wake?.();
  };
  const deliver = (index: number, result: UnitResult) => {
    try {
      inOrder.add(index, result);
    } catch (e) {
      fail(e);
    }
    if (inOrder.delivered === units.length) wake?.();
  };
  const feed = (w: Worker) => {
    if (next < units.length && !failure) w.postMessage({ index: next, unit: units[next++] } satisfies UnitRequest);
  };
  try {
    for (let t = 1; t < Math.min(threads, units.length); t++) {
      const w = new Worker(BOOT, { eval: true, workerData });
      workers.push(w);
      w.on('message', (reply: UnitReply) => {
        deliver(reply.index, reply.result);
        feed(w);
      });
      w.on('error', fail);
      w.on('exit', (code) => {
        if (inOrder.delivered < units.length) fail(new Error(`a report reader thread stopped (exit code ${code}) before the load was done`));
      });
      for (let k = 0; k < IN_FLIGHT_PER_THREAD; k++) feed(w);
    }
    while (next < units.length && !failure) {
      const index = next++;
      deliver(index, readHere(units[index]));
      await new Promise<void>((resolve) => setImmediate(resolve)); // let the threads' replies in
    }
    while (inOrder.delivered < units.length && !failure) await new Promise<void>((resolve) => (wake = resolve));
    if (failure) throw failure.error;
  } finally {
    for (const w of workers) void w.terminate();
  }
}
