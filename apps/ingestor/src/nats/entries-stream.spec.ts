import { RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ENTRIES_DUPLICATE_WINDOW_MS } from '@ccpulse/domain';
import { loadIngestConfig } from '../config/ingest-config';
import { desiredStreamConfig, streamConflicts } from './entries-stream';

const config = (env: Record<string, string> = {}) =>
  loadIngestConfig({ CCPULSE_USER: 'alice', CCPULSE_HOST: 'box', CLAUDE_CONFIG_DIR: '/nowhere', ...env }, { once: false, help: false });

const existing = (over: Partial<StreamConfig> = {}) =>
  ({ ...desiredStreamConfig(config()), ...over }) as StreamConfig;

describe('streamConflicts', () => {
  it('given the stream the ingestor would create, finds nothing', () => {
    expect(streamConflicts(existing(), config())).toMatchObject({ plan: { action: 'keep' }, problems: [], notes: [] });
  });

  it('given other subjects, memory storage or workqueue retention, reports each as a conflict', () => {
    const { problems } = streamConflicts(
      existing({ subjects: ['x.>'], storage: StorageType.Memory, retention: RetentionPolicy.Workqueue }),
      config(),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('CCPULSE_SUBJECT_PREFIX');
  });

  it('given a different duplicate window, plans to update it to the one shared window and notes it', () => {
    const other = existing({ duplicate_window: nanos(120_000) });
    const got = streamConflicts(other, config());
    expect(got.problems).toEqual([]);
    expect(got.plan).toEqual({ action: 'update-window', fromMs: 120_000, toMs: ENTRIES_DUPLICATE_WINDOW_MS });
    expect(desiredStreamConfig(config()).duplicate_window).toBe(nanos(ENTRIES_DUPLICATE_WINDOW_MS));
  });
});
