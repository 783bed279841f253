import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Paths the API itself answers; never shadowed by the dashboard's client routes. */
const API_PATHS = /^\/(graphql|metrics|healthz|readyz)(\/|$|\?)/;

/**
 * Where the dashboard's static build is: `CCPULSE_WEB_DIR`, else `apps/api/web/dist` found from
 * this file in the source tree or in `dist/`.
 */
export function findWebDir(configured: string | undefined): string | undefined {
  if (configured) return existsSync(join(configured, 'index.html')) ? configured : undefined;
  for (const up of ['../web/dist', '../../../../apps/api/web/dist']) {
    const dir = resolve(__dirname, '..', up);
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Serves the SPA: files as they are, and `index.html` for any other GET that wants HTML. */
export function mountWeb(app: { useStaticAssets(dir: string, o: object): unknown; use(fn: (req: any, res: any, next: () => void) => void): unknown }, dir: string): void {
  app.useStaticAssets(dir, { index: 'index.html', fallthrough: true });
  const index = join(dir, 'index.html');
  app.use((req, res, next) => {
    if (req.method !== 'GET' || API_PATHS.test(req.url) || !String(req.headers.accept ?? '').includes('text/html')) return next();
    res.sendFile(index);
  });
}
