import { ENTRY_COPY_ORDER, USAGE_COPY_ORDER } from '@ccpulse/domain';
import { copyOrderBy, copyRow } from './copy-order.sql';
import { usageCopyColumn } from './messages/upsert-usage-messages';

describe('the SQL forms of the copy rules', () => {
  it('derives the keep-max ORDER BY and the upsert row from USAGE_COPY_ORDER', () => {
    expect(copyOrderBy(USAGE_COPY_ORDER, usageCopyColumn('b'))).toBe(
      `b.is_sidechain, b.total_tokens desc, coalesce(b.ts, 'infinity'), b.session_id collate "C", b.entry_key collate "C"`,
    );
    expect(copyRow(USAGE_COPY_ORDER, usageCopyColumn('t'))).toBe(
      `(t.is_sidechain, -(t.total_tokens), coalesce(t.ts, 'infinity'), t.session_id collate "C", t.entry_key collate "C")`,
    );
  });

  it('refuses a descending text key as a row (it cannot be negated)', () => {
    expect(() => copyRow([{ field: 'x', kind: 'text', direction: 'desc' }], (f) => f)).toThrow(/descending text/);
    expect(copyOrderBy(ENTRY_COPY_ORDER, (f) => f)).toBe(`coalesce(ts, 'infinity'), sessionId collate "C", content collate "C"`);
  });
});
