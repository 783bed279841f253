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

/**
 * Reads the units on `threads` threads, each taking the next unit when it is done with one, and
 * hands the results to `onResult` strictly in unit order, whatever order the threads finish in:
 * what the caller builds from them cannot depend on scheduling.
 */
export function readUnitsInParallel(units: UsageUnit[], threads: number, data: UsageWorkerData, onResult: (result: UnitResult, index: number) => void): Promise<void> {
  const workerData = { ...data, domainEntry: require.resolve('@ccpulse/domain'), workerEntry: WORKER_ENTRY };
  return new Promise<void>((resolvePromise, rejectPromise) => {
    const workers: Worker[] = [];
    const inOrder = new InOrder<UnitResult>(onResult);
    let sent = 0;
    let settled = false;
    const settle = (error?: unknown) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (error) rejectPromise(error);
      else resolvePromise();
    };
    const feed = (w: Worker) => {
      if (sent < units.length) w.postMessage({ index: sent, unit: units[sent++] } satisfies UnitRequest);
    };
    if (units.length === 0) return settle();
    for (let t = 0; t < Math.min(threads, units.length); t++) {
      const w = new Worker(BOOT, { eval: true, workerData });
      workers.push(w);
      w.on('message', (reply: UnitReply) => {
        try {
          inOrder.add(reply.index, reply.result);
        } catch (e) {
          return settle(e);
        }
        if (inOrder.delivered === units.length) return settle();
        feed(w);
      });
      w.on('error', settle);
      w.on('exit', (code) => settle(new Error(`a report reader thread stopped (exit code ${code}) before the load was done`)));
      feed(w);
    }
  });
}
