import { isCompleteJsonLine } from './complete-json-line';

describe('isCompleteJsonLine', () => {
  it.each([
    ['{"type":"user","uuid":"u1"}', true],
    ['{"a":[1,2]}  ', true],
    ['{"a":1}\r', true],
    ['\uFEFF{"a":1}', true],
    ['[1,2]', true],
    ['"text"', true],
    ['{"type":"user","uuid":"never-finished', false],
    ['{"a":1}{"b":2}', false],
    ['12', false],
    ['   ', false],
    ['', false],
  ])('given %j, answers %s', (line, complete) => {
    expect(isCompleteJsonLine(Buffer.from(line))).toBe(complete);
  });
});
