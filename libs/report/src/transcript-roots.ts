import { readdir, stat } from 'node:fs/promises';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** Where transcripts were looked for: the `projects` dirs found, and the ones that do not exist. */
export interface RootDiscovery {
  roots: string[];
  missing: string[];
}

/**
 * The transcript roots, found as Claude Code finds them: `dirOverride` (`--dir`, a projects dir or
 * a config dir holding `projects/`) wins; else every entry of `CLAUDE_CONFIG_DIR` (comma-separated
 * config dirs, each with `projects/`); else `~/.config/claude/projects` and `~/.claude/projects`.
 * Roots reached twice (a symlinked config dir) are listed once.
 */
export function discoverRoots(env: NodeJS.ProcessEnv, dirOverride?: string): RootDiscovery {
  const home = env.HOME || homedir();
  let candidates: string[];
  if (dirOverride) candidates = [projectsOf(resolve(dirOverride))];
  else if (env.CLAUDE_CONFIG_DIR?.trim()) {
    candidates = env.CLAUDE_CONFIG_DIR.split(',').map((d) => d.trim()).filter(Boolean).map((d) => join(resolve(d), 'projects'));
  } else {
    candidates = [join(env.XDG_CONFIG_HOME || join(home, '.config'), 'claude', 'projects'), join(home, '.claude', 'projects')];
  }
  const roots: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const dir of candidates) {
    if (!isDirectory(dir)) {
      missing.push(dir);
      continue;
    }
    const real = realpathSync(dir);
    if (seen.has(real)) continue;
    seen.add(real);
    roots.push(dir);
  }
  // With the defaults, one missing location is normal (most people have only one of the two).
  return { roots, missing: dirOverride || env.CLAUDE_CONFIG_DIR?.trim() || roots.length === 0 ? missing : [] };
}

/** Said after the directories searched when no transcript is found: how to point elsewhere. */
export const WHERE_TO_POINT =
  'Claude Code writes transcripts under ~/.claude/projects; set CLAUDE_CONFIG_DIR to the directory that holds projects/ (several: comma-separated), or pass --dir PATH';

/** A `--dir` may name the config dir (with `projects/`) or the projects dir itself. */
function projectsOf(dir: string): string {
  const projects = join(dir, 'projects');
  return isDirectory(projects) ? projects : dir;
}

function isDirectory(dir: string): boolean {
  try {
    return existsSync(dir) && statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** One transcript: its absolute path and its path relative to the root (which names the session). */
export interface TranscriptFile {
  path: string;
  file: string;
  size: number;
}

/**
 * Every `*.jsonl` below a root, at any depth (so `<session>/subagents/agent-*.jsonl` too), sorted
 * by relative path. Unreadable directories are skipped, never fatal.
 */
export async function listTranscriptFiles(root: string): Promise<TranscriptFile[]> {
  const out: TranscriptFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.jsonl') && (entry.isFile() || entry.isSymbolicLink())) {
        try {
          const s = await stat(path);
          if (s.isFile()) out.push({ path, file: relative(root, path), size: s.size });
        } catch {
          // vanished between readdir and stat
        }
      }
    }
  };
  await walk(root);
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
