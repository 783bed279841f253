import type { FileCheckpoint } from '../nats/offsets.store';
import { resumeFrom } from './resume';

const checkpoint = (over: Partial<FileCheckpoint> = {}): FileCheckpoint => ({ v: 1, path: '/p/s.jsonl', inode: '7', offset: 100, size: 100, mtime: '5', print: 'abc', ...over });

describe('resumeFrom', () => {
  it('given no checkpoint, starts at 0 without a reset', () => {
    expect(resumeFrom(undefined, { inode: '7', size: 50, mtime: '1' })).toEqual({ start: 0, verify: false });
  });

  it('given a file unchanged since its checkpoint (inode, size and mtime), resumes without reading it', () => {
    expect(resumeFrom(checkpoint(), { inode: '7', size: 100, mtime: '5' })).toEqual({ start: 100, verify: false });
  });

  it('given a file that grew or was touched, resumes only after its fingerprint is checked', () => {
    expect(resumeFrom(checkpoint(), { inode: '7', size: 140, mtime: '6' })).toEqual({ start: 100, verify: true });
    expect(resumeFrom(checkpoint(), { inode: '7', size: 100, mtime: '6' })).toEqual({ start: 100, verify: true });
  });

  it('given an older checkpoint without a fingerprint, resumes at its offset as before', () => {
    expect(resumeFrom(checkpoint({ print: undefined, mtime: undefined }), { inode: '7', size: 140, mtime: '6' })).toEqual({ start: 100, verify: false });
  });

  it('given another inode or a shorter file, starts over and says why', () => {
    expect(resumeFrom(checkpoint(), { inode: '8', size: 100, mtime: '5' })).toEqual({ start: 0, verify: false, reset: 'replaced' });
    expect(resumeFrom(checkpoint(), { inode: '7', size: 99, mtime: '6' })).toEqual({ start: 0, verify: false, reset: 'truncated' });
  });
});
