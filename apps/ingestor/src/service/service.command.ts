/**
 * `ccpulse ingest install | uninstall | status`: the per-developer onboarding. `install` writes
 * and enables a user service that runs `ccpulse ingest` with the NATS URL and credentials it was
 * given; `status` says what the checkpoints say (files tracked, bytes behind, last ack) and
 * whether NATS answers.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kvm } from '@nats-io/kv';
import { ConfigError, connectNats } from '@ccpulse/runtime';
import { ingestNatsOptions, loadIngestConfig } from '../config/ingest-config';
import { checkpointKey, type FileCheckpoint } from '../nats/offsets.store';
import { launchdPlist, serviceLayout, servicePlatform, systemdUnit, type ServiceSpec } from './service-unit';

export const SERVICE_USAGE = `usage: ccpulse ingest install [--nats-url URL] [--creds FILE] [--print]
       ccpulse ingest uninstall
       ccpulse ingest status

install    writes and enables a user service running 'ccpulse ingest' (systemd user unit on
           Linux, launchd agent on macOS; elsewhere, or with --print, prints the file and command)
           with NATS_URL and NATS_CREDS (default: this shell's), plus CLAUDE_CONFIG_DIR,
           CCPULSE_USER, CCPULSE_CONFIG and INGEST_CONTENT when set
uninstall  disables and removes it
status     files tracked, bytes behind, last acknowledged checkpoint, NATS connection`;

/** Settings the service keeps from the shell that installed it. */
const KEPT = ['NATS_URL', 'NATS_CREDS', 'NATS_USER', 'NATS_PASSWORD', 'NATS_TOKEN', 'CLAUDE_CONFIG_DIR', 'CCPULSE_USER', 'CCPULSE_HOST', 'CCPULSE_CONFIG', 'INGEST_CONTENT'];

function runAll(commands: string[][]): boolean {
  for (const [cmd, ...args] of commands) {
    process.stdout.write(`$ ${[cmd, ...args].join(' ')}\n`);
    const result = spawnSync(cmd, args, { stdio: 'inherit' });
    if (result.status !== 0) {
      process.stderr.write(`ccpulse ingest: '${cmd} ${args.join(' ')}' failed${result.error ? `: ${result.error.message}` : ` (exit ${result.status})`}\n`);
      return false;
    }
  }
  return true;
}

function serviceSpec(argv: string[], env: NodeJS.ProcessEnv): ServiceSpec | string {
  const values: Record<string, string> = {};
  for (const key of KEPT) if (env[key]?.trim()) values[key] = env[key]!.trim();
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--print') continue;
    const value = inline ?? argv[++i];
    if (flag !== '--nats-url' && flag !== '--creds') return `unknown option '${argv[i]}'\n${SERVICE_USAGE}`;
    if (!value) return `${flag} needs a value`;
    if (flag === '--nats-url') values.NATS_URL = value;
    else {
      const creds = path.resolve(value);
      if (!fs.existsSync(creds)) return `--creds: ${creds} does not exist`;
      values.NATS_CREDS = creds;
    }
  }
  if (!values.NATS_URL) return 'the service needs the team NATS: pass --nats-url nats://HOST:4222 (and --creds FILE) or set NATS_URL';
  const home = os.homedir();
  return {
    node: process.execPath,
    script: fs.realpathSync(process.argv[1]),
    env: values,
    logFile: path.join(home, 'Library', 'Logs', 'ccpulse-ingest.log'),
  };
}

function install(argv: string[]): number {
  const spec = serviceSpec(argv, process.env);
  if (typeof spec === 'string') {
    process.stderr.write(`ccpulse ingest install: ${spec}\n`);
    return 2;
  }
  const platform = servicePlatform(process.platform);
  const printOnly = argv.includes('--print') || platform === 'manual';
  const kind = platform === 'launchd' ? 'launchd' : 'systemd';
  const layout = serviceLayout(kind, os.homedir(), process.env);
  const text = kind === 'launchd' ? launchdPlist(spec) : systemdUnit(spec);
  if (printOnly) {
    process.stdout.write(`# ${layout.file}\n${text}\n# then run:\n${layout.enable.map((c) => c.join(' ')).join('\n')}\n`);
    if (platform === 'manual') process.stdout.write(`# (no systemd or launchd on ${process.platform}: run '${spec.node} ${spec.script} ingest' with the environment above under your service manager)\n`);
    return 0;
  }
  fs.mkdirSync(path.dirname(layout.file), { recursive: true });
  // The unit may name a credentials file: keep it readable by this user only.
  fs.writeFileSync(layout.file, text, { mode: 0o600 });
  process.stdout.write(`wrote ${layout.file}\n`);
  if (!runAll(layout.enable)) return 1;
  process.stdout.write(`ccpulse ingest runs as a ${kind === 'launchd' ? 'launchd agent' : 'systemd user service'}; 'ccpulse ingest status' shows its progress\n`);
  return 0;
}

function uninstall(): number {
  const platform = servicePlatform(process.platform);
  const layout = serviceLayout(platform === 'launchd' ? 'launchd' : 'systemd', os.homedir(), process.env);
  if (!fs.existsSync(layout.file)) {
    process.stdout.write(`no service installed (${layout.file} does not exist)\n`);
    return 0;
  }
  if (platform !== 'manual' && !runAll(layout.disable.slice(0, 1))) return 1;
  fs.rmSync(layout.file);
  if (platform === 'systemd') runAll(layout.disable.slice(1));
  process.stdout.write(`removed ${layout.file}\n`);
  return 0;
}

async function status(): Promise<number> {
  let config;
  try {
    config = loadIngestConfig(process.env, { once: false, help: false });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ccpulse ingest status: invalid setting ${err.message}\n`);
    return 2;
  }
  const layout = serviceLayout(process.platform === 'darwin' ? 'launchd' : 'systemd', os.homedir(), process.env);
  process.stdout.write(`service      ${fs.existsSync(layout.file) ? layout.file : 'not installed'}\n`);
  process.stdout.write(`transcripts  ${config.roots.join(', ') || '(none found)'}\n`);
  let nc;
  try {
    nc = await connectNats(ingestNatsOptions(config));
  } catch (err) {
    process.stdout.write(`connection   FAILED: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const connected = await Promise.race([nc.flush().then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    process.stdout.write(`connection   ${connected ? `connected to ${nc.getServer()}` : `cannot reach ${config.natsServers.join(',')}`}\n`);
    if (!connected) return 1;
    const kv = await new Kvm(nc).open(config.offsetsBucket);
    const prefix = checkpointKey(config.host, '').split('.')[0];
    let files = 0;
    let behind = 0;
    let lastAck = 0;
    const byKey = new Map<string, FileCheckpoint>();
    for await (const key of await kv.keys(`${prefix}.>`)) {
      const entry = await kv.get(key);
      if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) continue;
      byKey.set(key, entry.json<FileCheckpoint>());
      files++;
      lastAck = Math.max(lastAck, entry.created.getTime());
    }
    // Looked up by each transcript's key, as start-up does: under INGEST_REDACT=paths no checkpoint names its file.
    for (const file of transcriptFiles(config.roots)) {
      const checkpoint = byKey.get(checkpointKey(config.host, file));
      try {
        const stat = fs.statSync(file);
        behind += checkpoint && String(stat.ino) === checkpoint.inode ? Math.max(0, stat.size - checkpoint.offset) : stat.size;
      } catch {
        // the file went away meanwhile: nothing left to read
      }
    }
    process.stdout.write(`host         ${config.host} (bucket ${config.offsetsBucket})\n`);
    process.stdout.write(`files        ${files} tracked\n`);
    process.stdout.write(`behind       ${behind} bytes not yet acknowledged\n`);
    process.stdout.write(`last ack     ${lastAck ? new Date(lastAck).toISOString() : 'never'}\n`);
    return 0;
  } catch (err) {
    if (/stream not found/i.test((err as Error).message)) {
      process.stdout.write(`files        none yet: no checkpoint bucket '${config.offsetsBucket}' (the ingestor has not run against this NATS)\n`);
      return 0;
    }
    process.stdout.write(`checkpoints  unavailable: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await nc.close();
  }
}

/** The `.jsonl` files under the transcript folders (subagent folders included). */
function transcriptFiles(roots: readonly string[]): string[] {
  const files: string[] = [];
  for (const root of roots) {
    let names: string[];
    try {
      names = fs.readdirSync(root, { recursive: true, encoding: 'utf8' });
    } catch {
      continue; // a folder that does not exist holds nothing to read
    }
    for (const name of names) if (name.endsWith('.jsonl')) files.push(path.join(root, name));
  }
  return files;
}

export async function runServiceCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${SERVICE_USAGE}\n`);
    return 0;
  }
  if (sub === 'install') return install(rest);
  if (sub === 'uninstall') return uninstall();
  return status();
}
