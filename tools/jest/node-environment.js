// Every tier's test environment: Node's, plus removing the temporary folders a test file made
// (libs/domain/src/test-support/temp-dirs.ts) once it has ended, after all of its own teardown
// hooks, so a run leaves nothing behind. Jest's sandbox never sees its worker's `exit`.
const fs = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

class NodeEnvironmentRemovingTempDirs extends TestEnvironment {
  async teardown() {
    const pending = this.global[Symbol.for('ccpulse.tempDirsToRemove')] ?? [];
    for (const dir of pending.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    await super.teardown();
  }
}

module.exports = NodeEnvironmentRemovingTempDirs;
