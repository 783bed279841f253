import type { ApiConfig } from '../config/api-config';
import { loadApiConfig } from '../config/api-config';
import type { ApiStore } from '../store/api-store';
import { HomeStatsService } from './home-stats.service';

/** A store that records which reads happened: the gates must read no usage data. */
function recordingStore(onboarded: boolean) {
  const reads: string[] = [];
  const store = {
    async getUser(name: string) {
      reads.push('getUser');
      return { name, role: 'member' as const, onboarded, lastSyncAt: null };
    },
    async homeStats() {
      reads.push('homeStats');
      return { lastSyncAt: null, sessions: 0, prompts: 0, tokens: 0, projects: 0 };
    },
  } as unknown as ApiStore;
  return { store, reads };
}

const config = (env: Record<string, string>): ApiConfig => loadApiConfig(env, { readFile: () => 'home:\n  show_status_frame: off\n', osUser: () => 'x' });
const viewer = { name: 'ann', role: 'member' as const };
const now = () => new Date('2026-11-26T12:00:00Z');

describe('home status frame gates', () => {
  it('returns null without any database read when the operator switch is off (env)', async () => {
    const { store, reads } = recordingStore(true);
    const home = new HomeStatsService(config({ CCPULSE_HOME_SHOW_STATUS_FRAME: 'off' }), store, now);
    expect(await home.forViewer(viewer, 'H24')).toBeNull();
    expect(reads).toEqual([]);
  });

  it('returns null without any database read when the config file switches it off', async () => {
    const { store, reads } = recordingStore(true);
    const home = new HomeStatsService(config({ CCPULSE_CONFIG: '/etc/ccpulse.yaml' }), store, now);
    expect(await home.forViewer(viewer, 'D7')).toBeNull();
    expect(reads).toEqual([]);
  });

  it('returns null without reading usage for a caller who has not onboarded', async () => {
    const { store, reads } = recordingStore(false);
    const home = new HomeStatsService(config({}), store, now);
    expect(await home.forViewer(viewer, 'H24')).toBeNull();
    expect(reads).toEqual(['getUser']);
  });

  it('returns zeros, not null, for an onboarded caller with no data', async () => {
    const { store, reads } = recordingStore(true);
    const home = new HomeStatsService(config({ CCPULSE_CONFIG: '/etc/ccpulse.yaml', CCPULSE_HOME_SHOW_STATUS_FRAME: 'yes' }), store, now);
    expect(await home.forViewer(viewer, 'H24')).toEqual({ window: 'H24', lastSyncAt: null, sessions: 0, prompts: 0, tokens: 0, projects: 0 });
    expect(reads).toEqual(['getUser', 'homeStats']);
  });

  it('refuses an unknown window as BAD_USER_INPUT naming the argument', async () => {
    const { store } = recordingStore(true);
    const home = new HomeStatsService(config({}), store, now);
    await expect(home.forViewer(viewer, 'D30')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'window' } });
  });
});
