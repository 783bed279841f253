import { createLinePrefixer, prefixFor } from './line-prefixer';

describe('createLinePrefixer', () => {
  it('given chunks that split lines anywhere, when pushed, then emits whole prefixed lines only', () => {
    const p = createLinePrefixer('api', 10);
    expect(p.push('{"msg":"he')).toEqual([]);
    expect(p.push('llo"}\n{"msg":"a"}\r\n{"par')).toEqual([`${prefixFor('api', 10)}{"msg":"hello"}`, `${prefixFor('api', 10)}{"msg":"a"}`]);
    expect(p.flush()).toEqual([`${prefixFor('api', 10)}{"par`]);
    expect(p.flush()).toEqual([]);
  });

  it('pads names to a common width', () => {
    expect(prefixFor('api', 10)).toBe('api        | ');
  });
});
