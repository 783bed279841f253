import { ENTRIES_DUPLICATE_WINDOW_MS, entriesStreamDefinition, planEntriesStream } from './entries-stream';

describe('the entries stream definition', () => {
  const want = entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse');
  const existing = { subjects: ['ccpulse.entries.>'], storage: 'file', retention: 'limits', duplicateWindowMs: ENTRIES_DUPLICATE_WINDOW_MS };

  it('has one duplicate window of one hour', () => {
    expect(want).toEqual({ name: 'CCPULSE_ENTRIES', subjects: ['ccpulse.entries.>'], storage: 'file', retention: 'limits', duplicateWindowMs: 3_600_000 });
  });

  it('given no stream, creates; given the same stream, keeps it', () => {
    expect(planEntriesStream(want, undefined)).toEqual({ action: 'create' });
    expect(planEntriesStream(want, existing)).toEqual({ action: 'keep' });
  });

  it('given another window (an aggregator of an older release made it with 2 min), updates the window', () => {
    expect(planEntriesStream(want, { ...existing, duplicateWindowMs: 120_000 })).toEqual({ action: 'update-window', fromMs: 120_000, toMs: 3_600_000 });
  });

  it('given other subjects, memory storage or another retention, refuses naming each', () => {
    const plan = planEntriesStream(want, { subjects: ['x.>'], storage: 'memory', retention: 'workqueue', duplicateWindowMs: 1 });
    expect(plan).toMatchObject({ action: 'conflict', problems: [expect.stringContaining('CCPULSE_SUBJECT_PREFIX'), expect.stringContaining('memory'), expect.stringContaining('workqueue')] });
  });
});
