/**
 * docker-compose.yml, checked without a Docker engine: the services and their wiring, health
 * conditions, volumes and ports, and — most of all — that every environment name a service sets
 * is one its app really reads, and every secret comes from .env.
 */
import fs from 'node:fs';
import { envNamesOfCommand } from './support/app-env.scan';
import { ccpulseCommands, interpolatedNames, readCompose, readEnvExample, type ComposeService } from './support/compose.file';
import { parseNatsConf, type ConfMap } from './support/nats-conf.parse';
import { repoPath } from './support/repo-paths';

const compose = readCompose();
const svc = (name: string): ComposeService => compose.services[name];
const APPS = ['migrate', 'aggregator', 'api', 'ingestor'];
const env = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(svc(name).environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));

describe('docker-compose.yml services', () => {
  it('has the central stack, one ingestor and the monitoring', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['aggregator', 'api', 'grafana', 'ingestor', 'migrate', 'nats', 'postgres', 'prometheus'].sort(),
    );
  });

  it('runs every app from the one ccpulse image with a command bin/ccpulse.js knows', () => {
    const known = ccpulseCommands();
    for (const name of APPS) {
      expect(svc(name).image).toBe('ccpulse:local');
      expect(svc(name).build).toBe('.');
      expect(svc(name).command).toHaveLength(1);
      expect(known).toContain(svc(name).command![0]);
    }
    expect(APPS.map((a) => svc(a).command![0])).toEqual(['migrate', 'aggregate', 'api', 'ingest']);
  });

  it('runs migrate once and starts aggregator and api only after it succeeded', () => {
    expect(svc('migrate').restart).toBe('no');
    expect(svc('migrate').depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const name of ['aggregator', 'api']) {
      expect(svc(name).depends_on).toMatchObject({
        nats: { condition: 'service_healthy' },
        postgres: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(svc('ingestor').depends_on).toMatchObject({ nats: { condition: 'service_healthy' } });
  });

  it('gives a healthcheck to every long-running service, and to everything waited on as healthy', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name !== 'migrate') expect({ name, test: s.healthcheck?.test?.length }).toEqual({ name, test: expect.any(Number) });
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(compose.services[dep]).toBeDefined();
        if (condition === 'service_healthy') expect(compose.services[dep].healthcheck).toBeDefined();
      }
    }
  });

  it('probes each app on the /readyz of the port the app is configured to listen on', () => {
    const port = { aggregator: env('aggregator').AGGREGATOR_METRICS_PORT, api: env('api').PORT, ingestor: env('ingestor').INGEST_METRICS_PORT };
    expect(port).toEqual({ aggregator: '9101', api: '4000', ingestor: '9102' });
    for (const [name, p] of Object.entries(port)) {
      expect(svc(name).healthcheck!.test.join(' ')).toContain(`http://127.0.0.1:${p}/readyz`);
    }
    expect(svc('api').ports).toContain('${API_PORT:-4000}:4000');
  });

  it('starts NATS with JetStream on a volume, from a config the healthcheck and the apps agree with', () => {
    const nats = svc('nats');
    expect(nats.command).toEqual(['-c', '/etc/nats/nats-server.conf']);
    expect(nats.volumes).toContain('nats-data:/data');
    expect(nats.volumes).toContain('${NATS_CONFIG:-./ops/nats/nats-server.conf}:/etc/nats/nats-server.conf:ro');
    const conf = parseNatsConf(repoPath('ops/nats/nats-server.conf'));
    expect((conf.jetstream as ConfMap).store_dir).toBe('/data');
    expect(conf.port).toBe(4222);
    expect(nats.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${conf.http_port}/healthz`);
    for (const app of ['aggregator', 'api', 'ingestor']) expect(env(app).NATS_URL).toBe('nats://nats:4222');
  });

  it('passes NATS every password variable its config refers to', () => {
    const text = fs.readFileSync(repoPath('ops/nats/nats-server.conf'), 'utf8');
    const refs = [...text.matchAll(/\$([A-Z][A-Z0-9_]*PASSWORD[A-Z0-9_]*)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(Object.keys(env('nats'))).toContain(r);
  });

  it('logs each app into NATS as its own user with its own password', () => {
    expect(['aggregator', 'api', 'ingestor'].map((a) => [env(a).NATS_USER, env(a).NATS_PASSWORD])).toEqual([
      ['aggregator', '${NATS_AGGREGATOR_PASSWORD}'],
      ['api', '${NATS_API_PASSWORD}'],
      ['ingestor', '${NATS_INGESTOR_PASSWORD}'],
    ]);
  });

  it('keeps PostgreSQL on a volume with a healthcheck, and the apps on its database', () => {
    expect(svc('postgres').volumes).toContain('pg-data:/var/lib/postgresql/data');
    expect(svc('postgres').healthcheck!.test).toEqual(['CMD', 'pg_isready', '-U', 'ccpulse', '-d', 'ccpulse']);
    for (const app of ['migrate', 'aggregator', 'api']) {
      expect(env(app).DATABASE_URL).toBe('postgres://ccpulse:${POSTGRES_PASSWORD}@postgres:5432/ccpulse');
    }
  });

  it('mounts the host ~/.claude read-only into the ingestor, which reads it as the host user', () => {
    const ing = svc('ingestor');
    expect(ing.volumes).toContain('${CLAUDE_DIR:-~/.claude}:/claude:ro');
    expect(env('ingestor').CLAUDE_CONFIG_DIR).toBe('/claude');
    expect(env('ingestor').CCPULSE_USER).toMatch(/^\$\{CCPULSE_USER:\?/);
    expect(ing.user).toBe('${CCPULSE_UID:-1000}:${CCPULSE_GID:-1000}');
  });

  it('declares every named volume it uses', () => {
    const named = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((src) => /^[a-z][a-z0-9_-]*$/.test(src));
    expect(new Set(named)).toEqual(new Set(Object.keys(compose.volumes)));
  });

  it('mounts only files and folders that exist in the repository', () => {
    const binds = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.replace(/^\$\{[A-Z_]+:-([^}]+)\}/, '$1').split(':')[0])
      .filter((src) => src.startsWith('./'));
    expect(binds.length).toBeGreaterThan(3);
    for (const b of binds) expect({ b, exists: fs.existsSync(repoPath(b)) }).toEqual({ b, exists: true });
  });
});

describe('environment names in docker-compose.yml', () => {
  const commands: Record<string, string> = { migrate: 'migrate', aggregator: 'aggregate', api: 'api', ingestor: 'ingest' };

  it.each(APPS)('%s sets only names its app reads', (service) => {
    const read = envNamesOfCommand(commands[service]);
    if (!read) {
      console.warn(`compose.spec: no sources yet for 'ccpulse ${commands[service]}'; env names of ${service} not checked`);
      return;
    }
    const unread = Object.keys(env(service)).filter((k) => !read.has(k));
    expect(unread).toEqual([]);
  });

  it('takes every secret from .env, never a literal', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN/.test(k)) expect({ name, k, v }).toEqual({ name, k, v: expect.stringMatching(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/) });
      }
    }
  });

  it('refuses to start without the secrets (${VAR:?…} on first use)', () => {
    const text = fs.readFileSync(repoPath('docker-compose.yml'), 'utf8');
    for (const secret of ['POSTGRES_PASSWORD', 'GRAFANA_PG_PASSWORD', 'GRAFANA_ADMIN_PASSWORD', 'NATS_AGGREGATOR_PASSWORD', 'NATS_API_PASSWORD', 'NATS_INGESTOR_PASSWORD']) {
      expect(text).toMatch(new RegExp(`\\$\\{${secret}:\\?`));
    }
  });

  it('documents every variable it interpolates in .env.example, and .env.example holds nothing else', () => {
    const used = interpolatedNames(fs.readFileSync(repoPath('docker-compose.yml'), 'utf8'));
    const documented = [...readEnvExample().keys()];
    expect(used.filter((n) => !documented.includes(n))).toEqual([]);
    expect(documented.filter((n) => !used.includes(n))).toEqual([]);
  });

  it('ships .env.example with every secret empty', () => {
    for (const [k, v] of readEnvExample()) if (/PASSWORD|SECRET|TOKEN/.test(k)) expect({ k, v }).toEqual({ k, v: '' });
  });
});
