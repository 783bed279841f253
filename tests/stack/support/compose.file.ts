/** docker-compose.yml and .env.example, parsed the way compose reads them (YAML merge keys on). */
import fs from 'node:fs';
import { parse } from 'yaml';
import { repoPath } from './repo-paths';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number | null>;
  env_file?: Array<string | { path: string; required?: boolean }>;
  volumes?: string[];
  ports?: string[];
  expose?: string[];
  user?: string;
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

export function readCompose(): ComposeFile {
  return parse(fs.readFileSync(repoPath('docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

/** `${VAR}`, `${VAR:-default}`, `${VAR:?message}` references in a compose string. */
export function interpolatedNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}/g)].map((m) => m[1]))];
}

/** KEY=value lines of .env.example (commented-out examples excluded). */
export function readEnvExample(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of fs.readFileSync(repoPath('.env.example'), 'utf8').split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1], m[2]);
  }
  return out;
}

/** The `ccpulse` subcommands bin/ccpulse.js dispatches. */
export function ccpulseCommands(): string[] {
  const bin = fs.readFileSync(repoPath('bin/ccpulse.js'), 'utf8');
  const table = /const owners = \{([\s\S]*?)\};/.exec(bin)?.[1] ?? '';
  return [...table.matchAll(/^\s*([a-z]+):/gm)].map((m) => m[1]);
}
