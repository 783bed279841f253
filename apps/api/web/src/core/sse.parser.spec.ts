import { backoffMs, SseParser } from './sse.parser';

describe('SseParser', () => {
  it('parses yoga-style next/complete events split across chunks', () => {
    const p = new SseParser();
    expect(p.push(':\n\n')).toEqual([]);
    expect(p.push('event: next\ndata: {"data":{"a"')).toEqual([]);
    expect(p.push(':1}}\n\nevent: complete\r\ndata:\r\n\r\n')).toEqual([
      { event: 'next', data: '{"data":{"a":1}}' },
      { event: 'complete', data: '' },
    ]);
  });

  it('joins multi-line data and defaults the event name', () => {
    expect(new SseParser().push('data: a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});

describe('backoffMs', () => {
  it('doubles from half a second and caps at thirty', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3].map((a) => backoffMs(a, mid))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffMs(20, mid)).toBe(30_000);
    expect(backoffMs(0, () => 0)).toBe(400);
    expect(backoffMs(0, () => 1)).toBe(600);
  });
});
