/** Polls an HTTP readiness endpoint until it answers 2xx, or until told to give up. */

/** Resolves true once `url` answers 2xx, false if `signal` aborts first. Never throws. */
export async function waitUntilReady(url: string, signal: AbortSignal, intervalMs = 250): Promise<boolean> {
  while (!signal.aborted) {
    try {
      const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not listening yet, or still starting: keep polling
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
    });
  }
  return false;
}

/** The api's readiness endpoint on this machine. */
export function readinessUrl(port: number): string {
  return `http://127.0.0.1:${port}/readyz`;
}
