// Every tier's test environment: Node's, plus what a test file leaves behind removed once it has
// ended (after all of its own teardown hooks), so a run leaves nothing behind even when a suite
// fails or times out mid-way:
//  - the temporary folders it made (libs/domain/src/test-support/temp-dirs.ts; jest's sandbox
//    never sees its worker's `exit`, where such cleanups usually hang);
//  - child processes it started that still run (with their own children), reported on stderr.
//    Processes that were already there when the file started (the embedded servers of the global
//    setup, when jest runs in band) are left alone.
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

/** Direct children of `pid`, from every thread's list (Linux `/proc`; empty elsewhere). */
function childrenOf(pid) {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((task) => fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' '))
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function descendantsOf(pid) {
  return childrenOf(pid).flatMap((child) => [child, ...descendantsOf(child)]);
}

class NodeEnvironmentCleaningUp extends TestEnvironment {
  async setup() {
    this.childrenBefore = new Set(childrenOf(process.pid));
    await super.setup();
  }

  async teardown() {
    const pending = this.global[Symbol.for('ccpulse.tempDirsToRemove')] ?? [];
    for (const dir of pending.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    const left = childrenOf(process.pid).filter((pid) => !this.childrenBefore.has(pid));
    const doomed = left.flatMap((pid) => [pid, ...descendantsOf(pid)]);
    for (const pid of doomed) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    if (left.length > 0) process.stderr.write(`test environment: the test file left ${doomed.length} process(es) running (${doomed.join(', ')}); killed\n`);
    await super.teardown();
  }
}

module.exports = NodeEnvironmentCleaningUp;
