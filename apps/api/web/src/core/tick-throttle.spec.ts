import { tickThrottle } from './tick-throttle';

describe('tickThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('fires once per window for a burst, again for a later burst, never after cancel', () => {
    const fire = jest.fn();
    const t = tickThrottle(fire, 1000);
    for (let i = 0; i < 10; i++) t.call();
    jest.advanceTimersByTime(999);
    expect(fire).toHaveBeenCalledTimes(0);
    jest.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(1);
    t.call();
    jest.advanceTimersByTime(1000);
    expect(fire).toHaveBeenCalledTimes(2);
    t.call();
    t.cancel();
    jest.advanceTimersByTime(5000);
    expect(fire).toHaveBeenCalledTimes(2);
  });
});
