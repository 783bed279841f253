import { effectiveWatchMode } from './transcript-tree';

describe('effectiveWatchMode', () => {
  it('given auto, watches recursively where the platform has it natively and per directory elsewhere', () => {
    expect(effectiveWatchMode('auto', 'darwin')).toBe('recursive');
    expect(effectiveWatchMode('auto', 'win32')).toBe('recursive');
    expect(effectiveWatchMode('auto', 'linux')).toBe('directories');
  });

  it('given an explicit mode, keeps it', () => {
    expect(effectiveWatchMode('off', 'darwin')).toBe('off');
    expect(effectiveWatchMode('recursive', 'linux')).toBe('recursive');
  });
});
