/**
 * ops/grafana: provisioning points at the compose services, the dashboard uses only provisioned
 * data sources, real metrics, and the projection table's real columns.
 */
import fs from 'node:fs';
import { parse } from 'yaml';
import { unknownMetrics } from './support/app-metrics.scan';
import { readCompose } from './support/compose.file';
import { repoPath } from './support/repo-paths';
import { TOKEN_COUNTER_COLUMNS } from '../../libs/db/src/tables/usage-columns';

interface Datasource {
  name: string;
  uid: string;
  type: string;
  url: string;
  user?: string;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, string>;
}
interface Target {
  refId: string;
  datasource: { uid: string; type: string };
  expr?: string;
  rawSql?: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { uid: string; type: string };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Array<{ name: string; query: string; datasource: { uid: string } }> };
}

const compose = readCompose();
const datasources = (parse(fs.readFileSync(repoPath('ops/grafana/provisioning/datasources/ccpulse.yml'), 'utf8')) as { datasources: Datasource[] }).datasources;
const providers = (parse(fs.readFileSync(repoPath('ops/grafana/provisioning/dashboards/ccpulse.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> }).providers;
const dashboardFiles = fs.readdirSync(repoPath('ops/grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((f) => JSON.parse(fs.readFileSync(repoPath('ops/grafana/dashboards', f), 'utf8')) as Dashboard);
const targets = dashboards.flatMap((d) => d.panels.flatMap((p) => p.targets ?? []));

/** Column names of a libs/db table interface (`usage-model-hourly.table.ts`), with the usage columns it extends. */
function tableColumns(file: string): string[] {
  const text = fs.readFileSync(repoPath('libs/db/src/tables', file), 'utf8');
  const own = [...text.matchAll(/^\s+([a-z_0-9]+)\??:/gm)].map((m) => m[1]);
  return /extends UsageColumns\b/.test(text) ? [...own, ...tableColumns('usage-columns.ts'), ...TOKEN_COUNTER_COLUMNS] : own;
}

describe('ops/grafana provisioning', () => {
  it('provisions Prometheus and a PostgreSQL reader on the compose services', () => {
    const byUid = new Map(datasources.map((d) => [d.uid, d]));
    expect(byUid.get('ccpulse-prometheus')).toMatchObject({ type: 'prometheus', url: 'http://prometheus:9090' });
    const pg = byUid.get('ccpulse-postgres')!;
    expect(pg).toMatchObject({ type: 'grafana-postgresql-datasource', url: 'postgres:5432', user: 'ccpulse_reader' });
    expect(pg.jsonData?.database).toBe(compose.services.postgres.environment?.POSTGRES_DB);
    // the password is the environment's, never written down
    expect(pg.secureJsonData?.password).toBe('${GRAFANA_PG_PASSWORD}');
    expect(Object.keys(compose.services.grafana.environment ?? {})).toContain('GRAFANA_PG_PASSWORD');
    expect(Object.keys(compose.services.postgres.environment ?? {})).toContain('GRAFANA_PG_PASSWORD');
  });

  it('loads dashboards from the folder compose mounts', () => {
    const mount = compose.services.grafana.volumes!.find((v) => v.startsWith('./ops/grafana/dashboards:'))!;
    expect(mount.split(':')[1]).toBe(providers[0].options.path);
    expect(compose.services.grafana.volumes).toContain('./ops/grafana/provisioning:/etc/grafana/provisioning:ro');
    expect(dashboardFiles.length).toBeGreaterThan(0);
  });
});

describe('ops/grafana dashboards', () => {
  const uids = new Set(datasources.map((d) => d.uid));

  it('use only provisioned data sources', () => {
    for (const d of dashboards) {
      for (const p of d.panels.filter((x) => x.type !== 'row')) {
        expect({ panel: p.title, uid: uids.has(p.datasource!.uid) }).toEqual({ panel: p.title, uid: true });
        for (const t of p.targets ?? []) expect(uids.has(t.datasource.uid)).toBe(true);
      }
      for (const v of d.templating.list) expect(uids.has(v.datasource.uid)).toBe(true);
    }
  });

  it('show tokens and cost by model and by user, lag and rejects', () => {
    const titles = dashboards.flatMap((d) => d.panels.map((p) => p.title)).join('\n');
    for (const t of [/Tokens by model/, /Cost by model/, /Tokens by user/, /Cost by user/, /lag/i, /Rejected/]) expect(titles).toMatch(t);
  });

  it('query only metrics and labels the apps define', () => {
    const exprs = targets.filter((t) => t.expr).map((t) => t.expr!);
    expect(exprs.length).toBeGreaterThan(5);
    expect(unknownMetrics(exprs)).toEqual({ unknown: [], badLabels: [] });
  });

  it('read usage_model_hourly of the live projection schema, and ingestor_heartbeats, with columns that exist', () => {
    const tables: Record<string, { file: string; from: string }> = {
      usage_model_hourly: { file: 'usage-model-hourly.table.ts', from: 'FROM "$schema".usage_model_hourly' },
      ingestor_heartbeats: { file: 'ingestor-heartbeats.table.ts', from: 'FROM ingestor_heartbeats' },
    };
    const sqls = targets.filter((t) => t.rawSql).map((t) => t.rawSql!);
    expect(sqls.length).toBeGreaterThanOrEqual(6);
    for (const sql of sqls) {
      const table = Object.keys(tables).find((t) => sql.includes(tables[t].from));
      expect({ sql, table }).toEqual({ sql, table: expect.any(String) });
      const columns = tableColumns(tables[table!].file);
      // every identifier before an AS alias or in WHERE/GROUP/ORDER that looks like a column must exist
      const used = [...sql.matchAll(/\b([a-z_]+_(?:tokens|name|bytes|tracked|usd)|hour|model|project|messages|host|version|at)\b/g)].map((m) => m[1]);
      for (const c of used) expect({ table, c, known: columns.includes(c) }).toEqual({ table, c, known: true });
    }
    expect(sqls.filter((s) => s.includes('usage_model_hourly'))).toHaveLength(5);
    const schemaVar = dashboards[0].templating.list.find((v) => v.name === 'schema')!;
    expect(schemaVar.query).toMatch(/SELECT live_schema FROM projection_state WHERE name = 'usage'/);
    expect(tableColumns('projection-state.table.ts')).toEqual(expect.arrayContaining(['name', 'live_schema']));
  });

  it('have unique panel ids and a stable uid', () => {
    for (const d of dashboards) {
      expect(d.uid).toMatch(/^ccpulse-/);
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
