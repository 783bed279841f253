import { renderProgress } from './backfill-progress';

describe('renderProgress', () => {
  it('shows files, MB done/total, lines/s and an ETA', () => {
    const s = renderProgress({ filesDone: 3, files: 10, bytesDone: 5 * 1024 * 1024, bytes: 20 * 1024 * 1024, lines: 20_000, elapsedMs: 2000 }, 10);
    expect(s).toBe('[###-------] 3/10 files  5.0/20.0 MB  10,000 lines/s  ETA 6s');
  });
});
