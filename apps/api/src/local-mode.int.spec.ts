import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createDatabase } from '@ccpulse/db';
import pino from 'pino';
import { startApiServer } from './api.server';
import { loadApiConfig } from './config/api-config';
import { startTestApi, type TestApi } from './test-support/api-harness';

describe('single-user local mode and the operator switch (real PostgreSQL + NATS)', () => {
  let t: TestApi;
  let web: string;
  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'ccpulse-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>ccpulse</title>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    t = await startTestApi({ env: { CCPULSE_AUTH: 'disabled', CCPULSE_USER: 'solo', CCPULSE_HOME_SHOW_STATUS_FRAME: 'off', CCPULSE_WEB_DIR: web } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('serves the dashboard build at / with index.html for client routes', async () => {
    const html = { headers: { accept: 'text/html' } };
    expect(await (await fetch(`${t.api.url}/`, html)).text()).toContain('<title>ccpulse</title>');
    expect(await (await fetch(`${t.api.url}/app.js`)).text()).toBe('console.log(1)');
    const route = await fetch(`${t.api.url}/sessions/abc`, html);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>ccpulse</title>');
    expect((await fetch(`${t.api.url}/healthz`, html)).headers.get('content-type')).toMatch(/json/);
    expect((await fetch(`${t.api.url}/nope.js`)).status).toBe(404);
  });

  it('acts as the local admin without a token', async () => {
    const r = await t.gql('{ me { name role onboarded } }');
    expect(r.body).toEqual({ data: { me: { name: 'solo', role: 'ADMIN', onboarded: false } } });
  });

  it('keeps the home frame null while the switch is off, even once onboarded', async () => {
    const m = await t.gql('mutation { markOnboarded { name role onboarded } }');
    expect(m.body.data.markOnboarded).toEqual({ name: 'solo', role: 'ADMIN', onboarded: true });
    const r = await t.gql('{ homeStats { sessions } }');
    expect(r.body).toEqual({ data: { homeStats: null } });
  });
});

describe('/readyz on a database that is not migrated', () => {
  it('answers 503 naming postgres until migrations are applied', async () => {
    const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `ccpulse_test_${randomBytes(6).toString('hex')}`;
    const admin = createDatabase({ url: adminUrl, poolSize: 1, statementTimeoutMs: 0 });
    await sql`create database ${sql.id(name)}`.execute(admin);
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    const config = loadApiConfig(
      { DATABASE_URL: u.toString(), PORT: '0', HOST: '127.0.0.1', CCPULSE_SUBJECT_PREFIX: `t${randomBytes(4).toString('hex')}` },
      { readFile: () => '', osUser: () => 'x' },
    );
    const api = await startApiServer(config, { log: pino({ level: 'silent' }) });
    try {
      const res = await fetch(`${api.url}/readyz`);
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks.nats).toEqual({ ok: true });
      expect(body.checks.postgres).toMatchObject({ ok: false, error: expect.stringMatching(/not migrated/) });
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    } finally {
      await api.close();
      await sql`drop database if exists ${sql.id(name)}`.execute(admin);
      await admin.destroy();
    }
  });
});
