/** One dependency's state in a `/readyz` answer; extra fields (such as `role`) may add detail. */
export interface ReadinessCheck {
  ok: boolean;
  /** Why it is not ok, in words an operator can act on. */
  error?: string;
  [detail: string]: unknown;
}

/**
 * The one `/readyz` body every app answers with (200 when `status` is `ok`, else 503):
 * `{ status: 'ok' | 'unavailable', checks: { <dependency>: { ok, error? } } }`.
 */
export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  checks: Record<string, ReadinessCheck>;
}

export function readinessReport(checks: Record<string, ReadinessCheck>): ReadinessReport {
  return { status: Object.values(checks).every((c) => c.ok) ? 'ok' : 'unavailable', checks };
}

/** The HTTP status a readiness report is served with. */
export function readinessStatus(report: ReadinessReport): 200 | 503 {
  return report.status === 'ok' ? 200 : 503;
}
