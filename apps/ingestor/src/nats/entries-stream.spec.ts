import { RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { loadIngestConfig } from '../config/ingest-config';
import { desiredStreamConfig, streamConflicts } from './entries-stream';

const config = (env: Record<string, string> = {}) =>
  loadIngestConfig({ CCPULSE_USER: 'alice', CCPULSE_HOST: 'box', CLAUDE_CONFIG_DIR: '/nowhere', ...env }, { once: false, help: false });

const existing = (over: Partial<StreamConfig> = {}) =>
  ({ ...desiredStreamConfig(config()), ...over }) as StreamConfig;

describe('streamConflicts', () => {
  it('given the stream the ingestor would create, finds nothing', () => {
    expect(streamConflicts(existing(), config())).toEqual({ problems: [], notes: [] });
  });

  it('given other subjects, memory storage or workqueue retention, reports each as a conflict', () => {
    const { problems } = streamConflicts(
      existing({ subjects: ['x.>'], storage: StorageType.Memory, retention: RetentionPolicy.Workqueue }),
      config(),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('CCPULSE_SUBJECT_PREFIX');
  });

  it('given a different duplicate window, notes it unless STREAM_DUPLICATE_WINDOW was set explicitly', () => {
    const other = existing({ duplicate_window: nanos(120_000) });
    expect(streamConflicts(other, config())).toMatchObject({ problems: [], notes: [expect.stringContaining('STREAM_DUPLICATE_WINDOW')] });
    expect(streamConflicts(other, config({ STREAM_DUPLICATE_WINDOW: '1h' })).problems).toEqual([expect.stringContaining('STREAM_DUPLICATE_WINDOW')]);
  });
});
