import { addressOf, authenticateFrom, authorizationOf, callerKey, type AuthGuard } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import type { AuthMode } from '../config/api-config';
import type { ApiStore } from '../store/api-store';

/** What every resolver gets: the caller, resolved lazily and once per operation. */
export interface ApiContext {
  viewer(): Promise<Viewer>;
  /** Whom request rate limits count against: the presented token, else the peer address. */
  caller: string;
}

export function createContextFactory(mode: AuthMode, store: ApiStore, guard: AuthGuard = {}) {
  return (initial: Record<string, any>): ApiContext => {
    let pending: Promise<Viewer> | undefined;
    const header = authorizationOf(initial ?? {});
    const address = addressOf(initial ?? {});
    return {
      caller: callerKey(header, address),
      viewer() {
        pending ??= authenticateFrom(header, address, mode, store, guard);
        return pending;
      },
    };
  };
}
