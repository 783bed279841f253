/**
 * Where the embedded servers keep their data: `CCPULSE_DATA_DIR`, else `$XDG_DATA_HOME/ccpulse`,
 * else `~/.local/share/ccpulse`. A second start finds the same directory, so nothing is lost
 * or re-ingested between runs.
 */
import path from 'node:path';

export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const explicit = env.CCPULSE_DATA_DIR?.trim();
  if (explicit) return path.resolve(explicit);
  const xdg = env.XDG_DATA_HOME?.trim();
  // The XDG spec ignores relative paths in its variables.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'ccpulse');
  return path.join(home, '.local', 'share', 'ccpulse');
}
