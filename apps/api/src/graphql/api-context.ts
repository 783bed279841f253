import { authenticate, authorizationOf } from '../auth/authenticate';
import type { Viewer } from '../auth/viewer';
import type { AuthMode } from '../config/api-config';
import type { ApiStore } from '../store/api-store';

/** What every resolver gets: the caller, resolved lazily and once per operation. */
export interface ApiContext {
  viewer(): Promise<Viewer>;
}

export function createContextFactory(mode: AuthMode, store: ApiStore) {
  return (initial: Record<string, any>): ApiContext => {
    let pending: Promise<Viewer> | undefined;
    const header = authorizationOf(initial ?? {});
    return {
      viewer() {
        pending ??= authenticate(header, mode, store);
        return pending;
      },
    };
  };
}
