import { BudgetInputError, normaliseBudget, parseWebhookUrl, redactWebhookUrl, type BudgetSpec } from './budget';
import { budgetAlertText } from './budget-alert';
import { crossedThresholds, periodWindow } from './budget-period';

const base: BudgetSpec = { scope: 'user', subject: 'ana', period: 'day', limitUsd: 10, thresholds: [1, 0.5, 0.8, 0.5], webhookUrl: null };

describe('normaliseBudget', () => {
  it('sorts and de-duplicates thresholds, trims the subject', () => {
    expect(normaliseBudget({ ...base, subject: ' ana ' })).toEqual({ ...base, thresholds: [0.5, 0.8, 1] });
  });

  it.each([
    [{ scope: 'team', subject: 'x' }, 'subject'],
    [{ scope: 'project', subject: '  ' }, 'subject'],
    [{ limitUsd: 0 }, 'limitUsd'],
    [{ limitUsd: Number.NaN }, 'limitUsd'],
    [{ thresholds: [] }, 'thresholds'],
    [{ thresholds: [0] }, 'thresholds'],
    [{ thresholds: [-0.5] }, 'thresholds'],
    [{ webhookUrl: 'ftp://example.com/x' }, 'webhookUrl'],
    [{ webhookUrl: 'https://u:p@example.com/x' }, 'webhookUrl'],
    [{ webhookUrl: 'nope' }, 'webhookUrl'],
  ] as [Partial<BudgetSpec>, string][])('refuses %j naming %s', (over, field) => {
    let err: unknown;
    try {
      normaliseBudget({ ...base, ...over });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BudgetInputError);
    expect((err as BudgetInputError).field).toBe(field);
  });
});

describe('parseWebhookUrl', () => {
  it('takes http and https without credentials, and says why it refuses anything else', () => {
    const ok = parseWebhookUrl('https://hooks.example.com/services/T0/B0/x');
    expect(ok.ok && ok.url.host).toBe('hooks.example.com');
    expect(parseWebhookUrl('file:///etc/passwd')).toEqual({ ok: false, reason: 'only http and https URLs, not file:' });
    expect(parseWebhookUrl('http://u:p@example.com/')).toEqual({ ok: false, reason: 'credentials in the URL are not allowed' });
    expect(parseWebhookUrl('nope')).toEqual({ ok: false, reason: 'not a URL' });
  });
});

describe('redactWebhookUrl', () => {
  it('keeps scheme and host only', () => {
    expect(redactWebhookUrl('https://hooks.slack.com/services/T000/B000/SECRET')).toBe('https://hooks.slack.com/…');
    expect(redactWebhookUrl(null)).toBeNull();
  });
});

describe('periodWindow (UTC)', () => {
  const at = new Date('2026-12-03T23:30:00Z'); // a Thursday
  it('day, ISO week from Monday, month', () => {
    expect(periodWindow('day', at)).toEqual({ start: new Date('2026-12-03T00:00:00Z'), end: new Date('2026-12-04T00:00:00Z') });
    expect(periodWindow('week', at)).toEqual({ start: new Date('2026-11-30T00:00:00Z'), end: new Date('2026-12-07T00:00:00Z') });
    expect(periodWindow('week', new Date('2026-12-06T12:00:00Z')).start).toEqual(new Date('2026-11-30T00:00:00Z'));
    expect(periodWindow('month', at)).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
  });
});

describe('crossedThresholds', () => {
  it('lists every threshold the ratio reached', () => {
    expect(crossedThresholds(4.99, 10, [0.5, 0.8, 1])).toEqual([]);
    expect(crossedThresholds(5, 10, [0.5, 0.8, 1])).toEqual([0.5]);
    expect(crossedThresholds(12, 10, [1, 0.5, 0.8])).toEqual([0.5, 0.8, 1]);
  });
});

describe('budgetAlertText', () => {
  it('says who, how far and the amounts', () => {
    expect(budgetAlertText({ scope: 'user', subject: 'ana', period: 'day', threshold: 0.8, spendUsd: 8.5, limitUsd: 10 })).toBe(
      'ccpulse: User ana reached 80% of its daily budget: $8.50 of $10.00 today (UTC).',
    );
  });
});
