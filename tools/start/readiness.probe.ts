/** Polls an HTTP readiness endpoint until it answers 2xx, or until told to give up. */

/** Resolves true once `url` answers 2xx, false if `signal` aborts first. Never throws. */
export async function waitUntilReady(url: string, signal: AbortSignal, intervalMs = 250): Promise<boolean> {
  while (!signal.aborted) {
    try {
      // Each attempt has its own timeout; an abort is noticed between attempts.
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not listening yet, or still starting: keep polling
    }
    await sleep(intervalMs, signal);
  }
  return false;
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The api's readiness endpoint on this machine. */
export function readinessUrl(port: number): string {
  return `http://127.0.0.1:${port}/readyz`;
}
