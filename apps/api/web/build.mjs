// Bundles the dashboard into dist/ (one JS file, one CSS file, index.html). No network, no
// plugins: esbuild ships its own binary in the npm package. `--watch` rebuilds on change.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist');
const watch = process.argv.includes('--watch');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const options = {
  entryPoints: { app: join(here, 'src/main.ts'), style: join(here, 'src/style.css') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['chrome111', 'firefox115', 'safari16.4'],
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  legalComments: 'none',
  // The field lists the dashboard selects come from the domain's browser-safe part.
  alias: { '@ccpulse/domain': join(here, '../../../libs/domain/src/browser.ts') },
  logLevel: 'warning',
};

if (watch) {
  copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
  const ctx = await context(options);
  await ctx.watch();
  console.log('dashboard: watching');
} else {
  await build(options);
  copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
  const sizes = ['app.js', 'style.css', 'index.html'].map((f) => {
    const bytes = readFileSync(join(out, f));
    return `${f} ${(statSync(join(out, f)).size / 1024).toFixed(1)} kB (${(gzipSync(bytes).length / 1024).toFixed(1)} kB gz)`;
  });
  writeFileSync(join(out, '.sizes'), sizes.join('\n') + '\n');
  console.log(`dashboard: ${sizes.join(', ')}`);
}
