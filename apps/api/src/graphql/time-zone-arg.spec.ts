import { timeZoneArg } from './args';

describe('the timezone argument', () => {
  it('an unknown zone is rejected every time, a known one accepted every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(() => timeZoneArg('timezone', 'Mars/Olympus')).toThrow(/unknown time zone/);
      expect(timeZoneArg('timezone', 'Asia/Kolkata')).toBe('Asia/Kolkata');
    }
  });
});
