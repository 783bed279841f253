/**
 * Runs `fire` at most once per `ms` for a burst of calls (the first call starts the wait, later
 * ones join it). The team views read whole-team aggregates: at 10 commits a second re-reading
 * them on every tick costs the API and the page more than a second of staleness is worth.
 */
export function tickThrottle(fire: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    call() {
      if (timer !== undefined) return;
      timer = setTimeout(() => {
        timer = undefined;
        fire();
      }, ms);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
