/**
 * The Dockerfile and .dockerignore, checked without a Docker engine: stages, base image,
 * install/build steps, non-root runtime, and that everything the build needs is in the context.
 */
import fs from 'node:fs';
import { envNamesOfCommand } from './support/app-env.scan';
import { repoPath } from './support/repo-paths';

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** Dockerfile instructions with continuation lines joined, grouped by stage. */
function readDockerfile(): { args: Record<string, string>; stages: Stage[] } {
  const text = fs.readFileSync(repoPath('Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest)!;
      stages.push({ from: m[1], name: m[2], steps: [] });
    } else if (stages.length === 0 && op.toUpperCase() === 'ARG') {
      const [k, v] = rest.split('=');
      args[k] = v;
    } else {
      stages[stages.length - 1].steps.push({ op: op.toUpperCase(), args: rest.replace(/\s+/g, ' ') });
    }
  }
  return { args, stages };
}

function readDockerignore(): string[] {
  return fs
    .readFileSync(repoPath('.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const { args, stages } = readDockerfile();
const stage = (name: string): Stage => stages.find((s) => s.name === name)!;
const runs = (s: Stage): string => s.steps.filter((i) => i.op === 'RUN').map((i) => i.args).join(' && ');
const runtime = stages[stages.length - 1];

describe('Dockerfile', () => {
  it('builds on Node 22 LTS in every stage', () => {
    expect(args.NODE_IMAGE).toMatch(/^node:22(-|$)/);
    for (const s of stages) expect(s.from === '${NODE_IMAGE}' || stages.some((o) => o.name === s.from)).toBe(true);
  });

  it('has separate build, production-dependency and runtime stages', () => {
    expect(stages.map((s) => s.name)).toEqual(['deps', 'build', 'prod-deps', 'runtime']);
    expect(runs(stage('deps'))).toMatch(/npm ci --ignore-scripts/);
    expect(runs(stage('build'))).toMatch(/npm run build/);
    expect(runs(stage('prod-deps'))).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('bundles the dashboard and points the api at it', () => {
    const scripts = (JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    /** An npm script with the scripts it calls (`npm run x`) expanded. */
    const expand = (name: string): string => scripts[name].replace(/npm run ([\w:-]+)/g, (_, n: string) => expand(n));
    expect(`${runs(stage('build'))} ${expand('build')}`).toMatch(/node apps\/api\/web\/build\.mjs/);
    const envs = runtime.steps.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ');
    expect(envs).toMatch(/CCPULSE_WEB_DIR=\/app\/apps\/api\/web\/dist/);
    expect(runtime.steps.some((i) => i.op === 'COPY' && i.args.includes('/app/apps/api/web/dist'))).toBe(true);
    expect(envs).toMatch(/NODE_ENV=production/);
  });

  it('copies into the build every source folder tsc compiles', () => {
    const tsconfig = JSON.parse(fs.readFileSync(repoPath('tsconfig.build.json'), 'utf8')) as { include: string[] };
    const copied = stage('build').steps.filter((i) => i.op === 'COPY').map((i) => i.args.split(' ')[0]);
    for (const inc of tsconfig.include) expect(copied).toContain(inc.split('/')[0]);
    for (const f of ['tsconfig.base.json', 'tsconfig.build.json']) expect(stage('build').steps.some((i) => i.op === 'COPY' && i.args.includes(f))).toBe(true);
    for (const src of copied.filter((c) => !c.startsWith('--'))) expect({ src, exists: fs.existsSync(repoPath(src)) }).toEqual({ src, exists: true });
  });

  it('runs as the unprivileged node user with the ccpulse entrypoint', () => {
    const ops = runtime.steps.map((i) => i.op);
    expect(ops).toContain('USER');
    expect(runtime.steps.find((i) => i.op === 'USER')!.args).toBe('node');
    expect(ops.indexOf('USER')).toBeLessThan(ops.indexOf('ENTRYPOINT'));
    expect(JSON.parse(runtime.steps.find((i) => i.op === 'ENTRYPOINT')!.args)).toEqual(['node', '/app/bin/ccpulse.js']);
    expect(runtime.steps.some((i) => i.op === 'RUN' && /npm (ci|install)/.test(i.args))).toBe(false);
  });

  it('ships only runtime packages and compiled code in the final image', () => {
    const copies = runtime.steps.filter((i) => i.op === 'COPY').map((i) => i.args);
    expect(copies).toContain('--from=prod-deps /app/node_modules ./node_modules');
    expect(copies).toContain('--from=build /app/dist ./dist');
    expect(copies).toContain('--from=build /app/bin ./bin');
    expect(copies.some((c) => /--from=(deps|build) \/app\/node_modules/.test(c))).toBe(false);
  });

  it('sets only environment names the api reads (besides NODE_ENV)', () => {
    const read = envNamesOfCommand('api');
    if (!read) return console.warn('dockerfile.spec: apps/api has no sources yet; ENV names not checked');
    const names = runtime.steps.filter((i) => i.op === 'ENV').flatMap((i) => [...i.args.matchAll(/([A-Z_]+)=/g)].map((m) => m[1]));
    expect(names.filter((n) => n !== 'NODE_ENV' && !read.has(n))).toEqual([]);
  });

  it('exposes the ports the apps listen on by default', () => {
    expect(runtime.steps.find((i) => i.op === 'EXPOSE')!.args.split(' ').sort()).toEqual(['4000', '9101', '9102']);
  });
});

describe('.dockerignore', () => {
  const ignore = readDockerignore();

  it('keeps secrets, local state and build output out of the context', () => {
    for (const p of ['.git', '.env', '.env.*', 'node_modules', 'dist']) expect(ignore).toContain(p);
  });

  it('does not drop anything the Dockerfile copies', () => {
    const copied = stages
      .flatMap((s) => s.steps)
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(' ').slice(0, -1));
    for (const src of copied) expect({ src, ignored: ignore.includes(src) }).toEqual({ src, ignored: false });
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json']));
  });
});
