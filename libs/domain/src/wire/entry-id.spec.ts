import { entryId } from './entry-id';

describe('entryId', () => {
  it('given a uuid, is user, session and uuid', () => {
    expect(entryId({ user: 'ana', sessionId: 's1', uuid: 'u-1', file: 'p/s1.jsonl', offset: 7 })).toBe('ana:s1:u-1');
  });

  it('given no uuid, is user, file and offset', () => {
    expect(entryId({ user: 'ana', file: 'p/s1.jsonl', offset: 7 })).toBe('ana:p/s1.jsonl:7');
  });

  it('given control characters in a uuid or file name, escapes them so the id is a valid header value', () => {
    expect(entryId({ user: 'ana', sessionId: 's1', uuid: 'u\r\n1', file: 'f', offset: 0 })).toBe('ana:s1:u%0D%0A1');
    expect(entryId({ user: 'ana', file: 'p/a\tb\x7f.jsonl', offset: 3 })).toBe('ana:p/a%09b%7F.jsonl:3');
  });
});
