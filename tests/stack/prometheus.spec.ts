/**
 * ops/prometheus: scrape targets match the compose services and ports, and the alert rules only
 * name metrics (and labels) the apps really define with prom-client.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import { appMetricDefs, unknownMetrics } from './support/app-metrics.scan';
import { readCompose } from './support/compose.file';
import { repoPath } from './support/repo-paths';

interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs?: Array<{ targets: string[]; labels?: Record<string, string> }>;
  file_sd_configs?: Array<{ files: string[] }>;
}
interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const prom = parse(fs.readFileSync(repoPath('ops/prometheus/prometheus.yml'), 'utf8')) as { rule_files: string[]; scrape_configs: ScrapeConfig[] };
const alerts = parse(fs.readFileSync(repoPath('ops/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ name: string; rules: Rule[] }> };
const rules = alerts.groups.flatMap((g) => g.rules);
const compose = readCompose();
describe('ops/prometheus/prometheus.yml', () => {
  const job = (name: string) => prom.scrape_configs.find((s) => s.job_name === name)!;

  it('scrapes the three apps at the compose service name and the port each app listens on', () => {
    const env = (s: string) => compose.services[s].environment ?? {};
    expect(job('ccpulse-aggregator').static_configs![0].targets).toEqual([`aggregator:${env('aggregator').AGGREGATOR_METRICS_PORT}`]);
    expect(job('ccpulse-api').static_configs![0].targets).toEqual([`api:${env('api').PORT}`]);
    expect(job('ccpulse-ingestor').static_configs![0].targets).toEqual([`ingestor:${env('ingestor').INGEST_METRICS_PORT}`]);
    for (const j of ['ccpulse-aggregator', 'ccpulse-api', 'ccpulse-ingestor']) expect(job(j).metrics_path).toBe('/metrics');
  });

  it('loads the alert rules from the folder compose mounts, and remote ingestors from files beside it', () => {
    expect(compose.services.prometheus.volumes).toContain('./ops/prometheus:/etc/prometheus:ro');
    expect(prom.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(job('ccpulse-ingestor').file_sd_configs![0].files).toEqual(['/etc/prometheus/targets/ingestors-*.yml']);
    const example = parse(fs.readFileSync(repoPath('ops/prometheus/targets/ingestors.example.yml'), 'utf8')) as Array<{ targets: string[] }>;
    expect(example.every((t) => t.targets.every((x) => /:\d+$/.test(x)))).toBe(true);
  });
});

describe('ops/prometheus/alerts.yml', () => {
  it('alerts on aggregator lag growing, rejected entries, unpriced tokens and a silent ingestor', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    expect(byName.get('CcpulseAggregatorLagGrowing')?.expr).toMatch(/ccpulse_aggregator_consumer_lag_messages/);
    expect(byName.get('CcpulseRejectedEntries')?.expr).toMatch(/ccpulse_aggregator_rejected_total/);
    expect(byName.get('CcpulseUnpricedTokens')?.expr).toMatch(/ccpulse_unpriced_tokens_total/);
    expect(byName.get('CcpulseIngestorNotHeardFrom')?.expr).toMatch(/up\{job="ccpulse-ingestor"\}/);
  });

  it('alerts on a budget over its limit or near it, and on failing budget webhooks', () => {
    const byName = new Map(rules.map((r) => [r.alert, r]));
    expect(byName.get('CcpulseBudgetExceeded')?.expr).toMatch(/ccpulse_budget_used_ratio\) >= 1$/);
    expect(byName.get('CcpulseBudgetExceeded')?.expr).toMatch(/by \(scope, subject, period\)/);
    expect(byName.get('CcpulseBudgetNearLimit')?.expr).toMatch(/ccpulse_budget_used_ratio\) >= 0\.8 < 1/);
    expect(byName.get('CcpulseBudgetWebhookFailing')?.expr).toMatch(/ccpulse_budget_webhook_failures_total/);
  });

  it('gives every rule a severity, a summary and a description, and unique names', () => {
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    for (const r of rules) {
      expect({ alert: r.alert, severity: r.labels?.severity }).toEqual({ alert: r.alert, severity: expect.stringMatching(/^(warning|critical)$/) });
      expect(r.annotations?.summary && r.annotations.description).toBeTruthy();
      if (r.for) expect(r.for).toMatch(/^\d+[smh]$/);
    }
  });

  it('names only metrics and labels the apps define', () => {
    expect(unknownMetrics(rules.map((r) => r.expr))).toEqual({ unknown: [], badLabels: [] });
  });

  it('refers only to scrape jobs that exist', () => {
    const jobs = prom.scrape_configs.map((s) => s.job_name);
    for (const r of rules) for (const m of r.expr.matchAll(/job="([^"]+)"/g)) expect(jobs).toContain(m[1]);
  });

  it('follows the metric naming rule ccpulse_<thing>_<unit>', () => {
    for (const d of appMetricDefs()) expect(d.name).toMatch(/^ccpulse_[a-z0-9_]+$/);
  });
});
