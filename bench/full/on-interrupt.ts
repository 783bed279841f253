/**
 * What an interrupted bench (Ctrl-C, SIGTERM) still cleans up before it exits 130: each stack's
 * throwaway database and children, then the fallback servers they ran on. Cleanups run newest
 * first and one at a time, so a server is stopped only after the stacks that use it.
 */
const cleanups = new Set<() => Promise<void>>();
let installed = false;

function installHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}: removing the throwaway databases and stopping what the bench started`);
      void (async () => {
        for (const cleanup of [...cleanups].reverse()) await cleanup().catch(() => undefined);
        process.exit(130);
      })();
    });
  }
}

/** Runs `cleanup` if the bench is interrupted; the returned function takes it back. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  installHandlers();
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}
