/**
 * A registry's Prometheus text exposition, as every app serves it on `/metrics`. prom-client
 * writes a NaN sample as `Nan` (e.g. the event-loop lag of a process scraped twice within its
 * sampling period), where the text format spells it `NaN`: the value is written as the format says.
 */
export async function metricsExposition(registry: { metrics(): Promise<string> }): Promise<string> {
  return (await registry.metrics()).replace(/ Nan$/gm, ' NaN');
}
