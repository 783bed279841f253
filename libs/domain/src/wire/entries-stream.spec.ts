import { ENTRIES_DUPLICATE_WINDOW_MS, describeEntriesStreamChange, entriesStreamDefinition, planEntriesStream } from './entries-stream';

describe('the entries stream definition', () => {
  const want = entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse');
  const existing = { subjects: ['ccpulse.entries.>'], storage: 'file', retention: 'limits', duplicateWindowMs: ENTRIES_DUPLICATE_WINDOW_MS, maxBytes: -1 };

  it('has one duplicate window of one hour and, unless a cap is set, no opinion on max bytes', () => {
    expect(want).toStrictEqual({ name: 'CCPULSE_ENTRIES', subjects: ['ccpulse.entries.>'], storage: 'file', retention: 'limits', duplicateWindowMs: 3_600_000 });
    expect(entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse', 1024).maxBytes).toBe(1024);
  });

  it('given no stream, creates; given the same stream, keeps it', () => {
    expect(planEntriesStream(want, undefined)).toEqual({ action: 'create' });
    expect(planEntriesStream(want, existing)).toEqual({ action: 'keep' });
  });

  it('given another window (an aggregator of an older release made it with 2 min), updates the window', () => {
    const plan = planEntriesStream(want, { ...existing, duplicateWindowMs: 120_000 });
    expect(plan).toEqual({ action: 'update', changes: [{ setting: 'duplicateWindowMs', from: 120_000, to: 3_600_000 }] });
    expect(describeEntriesStreamChange({ setting: 'duplicateWindowMs', from: 120_000, to: 3_600_000 })).toBe('duplicate window from 120000 ms to 3600000 ms');
  });

  it('given a cap on the stream and none set, keeps the cap whatever it is', () => {
    expect(planEntriesStream(want, { ...existing, maxBytes: 1024 })).toEqual({ action: 'keep' });
  });

  it('given a cap set and another one on the stream (or none), updates it to the one set', () => {
    const capped = entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse', 4096);
    expect(planEntriesStream(capped, existing)).toEqual({ action: 'update', changes: [{ setting: 'maxBytes', from: -1, to: 4096 }] });
    expect(planEntriesStream(capped, { ...existing, maxBytes: 4096 })).toEqual({ action: 'keep' });
    const unlimited = entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse', -1);
    expect(planEntriesStream(unlimited, { ...existing, maxBytes: 4096 })).toEqual({ action: 'update', changes: [{ setting: 'maxBytes', from: 4096, to: -1 }] });
    expect(describeEntriesStreamChange({ setting: 'maxBytes', from: -1, to: 4096 })).toContain('STREAM_MAX_BYTES');
  });

  it('given a cap below what the stream holds, refuses: the server would drop the oldest messages at once', () => {
    const capped = entriesStreamDefinition('CCPULSE_ENTRIES', 'ccpulse', 4096);
    expect(planEntriesStream(capped, { ...existing, storedBytes: 4097 })).toMatchObject({ action: 'conflict', problems: [expect.stringContaining('STREAM_MAX_BYTES=4096')] });
    expect(planEntriesStream(capped, { ...existing, maxBytes: 8192, storedBytes: 4096 })).toEqual({ action: 'update', changes: [{ setting: 'maxBytes', from: 8192, to: 4096 }] });
  });

  it('given other subjects, memory storage or another retention, refuses naming each', () => {
    const plan = planEntriesStream(want, { subjects: ['x.>'], storage: 'memory', retention: 'workqueue', duplicateWindowMs: 1, maxBytes: -1 });
    expect(plan).toMatchObject({ action: 'conflict', problems: [expect.stringContaining('CCPULSE_SUBJECT_PREFIX'), expect.stringContaining('memory'), expect.stringContaining('workqueue')] });
  });
});
