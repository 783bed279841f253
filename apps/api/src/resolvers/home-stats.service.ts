import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, API_STORE, CLOCK } from '../api.tokens';
import type { Viewer } from '../auth/viewer';
import type { ApiConfig } from '../config/api-config';
import { windowStart, type HomeWindow } from '../graphql/args';
import type { ApiStore } from '../store/api-store';
import { homeStatsView } from './views';

/**
 * The home status frame, shared by the query and the subscription. The gates come first and
 * read nothing: switch off → null; caller not onboarded → null (one users lookup, which is not
 * the usage data the gate protects).
 */
@Injectable()
export class HomeStatsService {
  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    @Inject(API_STORE) private readonly store: ApiStore,
    @Inject(CLOCK) private readonly now: () => Date,
  ) {}

  async forViewer(viewer: Viewer, window: unknown) {
    const now = this.now();
    const since = windowStart(window, now);
    if (!this.config.homeShowStatusFrame) return null;
    const user = await this.store.getUser(viewer.name);
    if (!user?.onboarded) return null;
    const stats = await this.store.homeStats(viewer.name, since, now);
    return homeStatsView(window as HomeWindow, stats.lastSyncAt, stats);
  }
}
