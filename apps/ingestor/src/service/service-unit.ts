/**
 * The user service that keeps `ccpulse ingest` running on a developer's machine: a systemd user
 * unit on Linux, a launchd agent on macOS. Pure: the caller decides where files go.
 */
import path from 'node:path';

export const SERVICE_NAME = 'ccpulse-ingest';
export const LAUNCHD_LABEL = 'dev.ccpulse.ingest';

export interface ServiceSpec {
  /** The Node binary and the ccpulse script, both absolute. */
  node: string;
  script: string;
  /** Environment of the service: NATS_URL, NATS_CREDS and the like. */
  env: Record<string, string>;
  /** Where launchd writes the service's output (systemd uses the journal). */
  logFile: string;
}

export type ServicePlatform = 'systemd' | 'launchd' | 'manual';

export function servicePlatform(platform: NodeJS.Platform): ServicePlatform {
  if (platform === 'linux') return 'systemd';
  if (platform === 'darwin') return 'launchd';
  return 'manual';
}

/** Quotes a word for systemd's command-line and Environment= syntax. */
function systemdQuote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function systemdUnit(spec: ServiceSpec): string {
  const env = Object.entries(spec.env).map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`)}`);
  return [
    '[Unit]',
    'Description=ccpulse ingestor: publishes Claude Code transcripts to the team NATS',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[spec.node, spec.script, 'ingest'].map(systemdQuote).join(' ')}`,
    ...env,
    'Restart=on-failure',
    'RestartSec=5',
    // A setting error (exit 2) will not fix itself by restarting.
    'RestartPreventExitStatus=2',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function launchdPlist(spec: ServiceSpec): string {
  const env = Object.entries(spec.env).flatMap(([k, v]) => [`      <key>${xml(k)}</key>`, `      <string>${xml(v)}</string>`]);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '  <dict>',
    '    <key>Label</key>',
    `    <string>${LAUNCHD_LABEL}</string>`,
    '    <key>ProgramArguments</key>',
    '    <array>',
    ...[spec.node, spec.script, 'ingest'].map((a) => `      <string>${xml(a)}</string>`),
    '    </array>',
    '    <key>EnvironmentVariables</key>',
    '    <dict>',
    ...env,
    '    </dict>',
    '    <key>RunAtLoad</key>',
    '    <true/>',
    '    <key>KeepAlive</key>',
    '    <dict>',
    '      <key>SuccessfulExit</key>',
    '      <false/>',
    '    </dict>',
    '    <key>ThrottleInterval</key>',
    '    <integer>5</integer>',
    '    <key>StandardOutPath</key>',
    `    <string>${xml(spec.logFile)}</string>`,
    '    <key>StandardErrorPath</key>',
    `    <string>${xml(spec.logFile)}</string>`,
    '  </dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Where the service file goes and the commands that enable / disable it. */
export function serviceLayout(platform: ServicePlatform, home: string, env: Readonly<Record<string, string | undefined>>) {
  if (platform === 'launchd') {
    const file = path.join(home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    return { file, enable: [['launchctl', 'load', '-w', file]], disable: [['launchctl', 'unload', '-w', file]] };
  }
  const config = env.XDG_CONFIG_HOME?.trim() && path.isAbsolute(env.XDG_CONFIG_HOME.trim()) ? env.XDG_CONFIG_HOME.trim() : path.join(home, '.config');
  const file = path.join(config, 'systemd', 'user', `${SERVICE_NAME}.service`);
  return {
    file,
    enable: [
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', `${SERVICE_NAME}.service`],
    ],
    disable: [
      ['systemctl', '--user', 'disable', '--now', `${SERVICE_NAME}.service`],
      ['systemctl', '--user', 'daemon-reload'],
    ],
  };
}
