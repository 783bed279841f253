import { Gauge, Registry } from 'prom-client';
import { metricsExposition } from './exposition';

describe('the /metrics exposition', () => {
  it('spells a NaN sample NaN, as the text format does (prom-client writes Nan)', async () => {
    const registry = new Registry();
    new Gauge({ name: 'lag_mean_seconds', help: 'h', registers: [registry] }).set(NaN);
    new Gauge({ name: 'plain', help: 'h', registers: [registry] }).set(1.5);
    const text = await metricsExposition(registry);
    expect(text).toContain('\nlag_mean_seconds NaN\n');
    expect(text).toContain('\nplain 1.5\n');
    expect(text).not.toMatch(/ Nan$/m);
  });
});
