import { isCompleteJsonLine } from './complete-json';

describe('isCompleteJsonLine', () => {
  it.each([
    ['{"type":"user","uuid":"u1"}', true],
    ['{"a":[1,2]}  ', true],
    ['[1,2]', true],
    ['"text"', true],
    ['{"type":"user","uuid":"never-finished', false],
    ['{"a":1}{"b":2}', false],
    ['12', false],
    ['', false],
  ])('given %s, answers %s', (line, complete) => {
    expect(isCompleteJsonLine(Buffer.from(line))).toBe(complete);
  });
});
