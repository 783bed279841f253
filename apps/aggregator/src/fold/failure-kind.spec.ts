import { failureKind } from './failure-kind';

describe('failureKind', () => {
  it('retries outages and conflicts, isolates data errors', () => {
    expect(failureKind(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('shutdown'), { code: '57P01' }))).toBe('transient');
    expect(failureKind(Object.assign(new Error('deadlock'), { code: '40P01' }))).toBe('transient');
    expect(failureKind(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(failureKind(Object.assign(new Error('bad'), { code: '22P02' }))).toBe('data');
    expect(failureKind(Object.assign(new Error('unique'), { code: '23505' }))).toBe('data');
    expect(failureKind(new TypeError('x is undefined'))).toBe('data');
  });
});
