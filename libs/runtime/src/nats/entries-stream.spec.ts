import { RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { ENTRIES_DUPLICATE_WINDOW_MS } from '@ccpulse/domain';
import { entriesStreamConfig, planExistingStream, type EntriesStreamSettings } from './entries-stream';

const settings: EntriesStreamSettings = { stream: 'CCPULSE_ENTRIES', subjectPrefix: 'ccpulse' };
const capped: EntriesStreamSettings = { ...settings, streamMaxBytes: 10 * 1024 ** 3 };

const existing = (over: Partial<StreamConfig> = {}) => ({ ...entriesStreamConfig(settings), max_bytes: -1, ...over }) as StreamConfig;

describe('entriesStreamConfig', () => {
  it('given no cap set, creates with the shared definition and leaves max bytes to the server (unlimited)', () => {
    expect(entriesStreamConfig(settings)).toStrictEqual({
      name: 'CCPULSE_ENTRIES',
      subjects: ['ccpulse.entries.>'],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      duplicate_window: nanos(ENTRIES_DUPLICATE_WINDOW_MS),
    });
  });

  it('given a cap set, creates with it', () => {
    expect(entriesStreamConfig(capped).max_bytes).toBe(10 * 1024 ** 3);
  });
});

describe('planExistingStream', () => {
  it('given the stream either app would create, finds nothing to do', () => {
    expect(planExistingStream(existing(), settings)).toEqual({ action: 'keep' });
    expect(planExistingStream(existing({ max_bytes: 1024 }), settings)).toEqual({ action: 'keep' });
  });

  it('given other subjects, memory storage or workqueue retention, reports each as a conflict', () => {
    const plan = planExistingStream(existing({ subjects: ['x.>'], storage: StorageType.Memory, retention: RetentionPolicy.Workqueue }), settings);
    expect(plan.action).toBe('conflict');
    const problems = plan.action === 'conflict' ? plan.problems : [];
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('CCPULSE_SUBJECT_PREFIX');
  });

  it('given a different duplicate window, plans to update it to the one shared window', () => {
    expect(planExistingStream(existing({ duplicate_window: nanos(120_000) }), settings)).toEqual({
      action: 'update',
      changes: [{ setting: 'duplicateWindowMs', from: 120_000, to: ENTRIES_DUPLICATE_WINDOW_MS }],
    });
  });

  it('given a cap set and an unlimited stream (made by an app without the setting), plans to set the cap', () => {
    expect(planExistingStream(existing(), capped)).toEqual({ action: 'update', changes: [{ setting: 'maxBytes', from: -1, to: 10 * 1024 ** 3 }] });
  });
});
