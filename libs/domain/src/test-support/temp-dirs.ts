/*
 * Test-only: temporary folders removed when the test file that made them ends. Jest's sandbox
 * never sees its worker's `exit`, so the test environment removes them at its teardown
 * (tools/jest/node-environment.js); a plain process removes them at exit.
 */
import * as fs from 'node:fs';

/** The list lives on the sandbox's global, where the test environment finds it. */
const PENDING = Symbol.for('ccpulse.tempDirsToRemove');
type WithPending = typeof globalThis & { [PENDING]?: string[] };

export function removeWhenDone(dir: string): void {
  ((globalThis as WithPending)[PENDING] ??= []).push(dir);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
