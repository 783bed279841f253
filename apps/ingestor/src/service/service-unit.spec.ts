import { launchdPlist, serviceLayout, servicePlatform, systemdUnit, type ServiceSpec } from './service-unit';

const spec: ServiceSpec = {
  node: '/usr/local/bin/node',
  script: '/opt/ccpulse/bin/ccpulse.js',
  env: { NATS_URL: 'nats://nats.example.com:4222', NATS_CREDS: '/home/ana/.config/ccpulse/ana.creds', CLAUDE_CONFIG_DIR: '/home/ana/my claude' },
  logFile: '/home/ana/Library/Logs/ccpulse-ingest.log',
};

describe('systemd user unit', () => {
  const unit = systemdUnit(spec);
  it('runs `ccpulse ingest` with the given NATS URL and credentials, restarting on failure', () => {
    expect(unit).toContain('ExecStart=/usr/local/bin/node /opt/ccpulse/bin/ccpulse.js ingest\n');
    expect(unit).toContain('Environment=NATS_URL=nats://nats.example.com:4222\n');
    expect(unit).toContain('Environment=NATS_CREDS=/home/ana/.config/ccpulse/ana.creds\n');
    expect(unit).toContain('Environment="CLAUDE_CONFIG_DIR=/home/ana/my claude"\n');
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(unit).toMatch(/\[Install\]\nWantedBy=default.target/);
  });
  it('goes under ~/.config/systemd/user and is enabled with systemctl --user', () => {
    const layout = serviceLayout('systemd', '/home/ana', {});
    expect(layout.file).toBe('/home/ana/.config/systemd/user/ccpulse-ingest.service');
    expect(layout.enable).toContainEqual(['systemctl', '--user', 'enable', '--now', 'ccpulse-ingest.service']);
    expect(serviceLayout('systemd', '/home/ana', { XDG_CONFIG_HOME: '/cfg' }).file).toBe('/cfg/systemd/user/ccpulse-ingest.service');
  });
});

describe('launchd agent', () => {
  const plist = launchdPlist(spec);
  it('runs `ccpulse ingest` at load, kept alive after failures, with the environment given', () => {
    expect(plist).toContain('<string>dev.ccpulse.ingest</string>');
    expect(plist).toMatch(/<key>ProgramArguments<\/key>\s*<array>\s*<string>\/usr\/local\/bin\/node<\/string>\s*<string>\/opt\/ccpulse\/bin\/ccpulse.js<\/string>\s*<string>ingest<\/string>\s*<\/array>/);
    expect(plist).toMatch(/<key>NATS_URL<\/key>\s*<string>nats:\/\/nats.example.com:4222<\/string>/);
    expect(plist).toMatch(/<key>NATS_CREDS<\/key>\s*<string>\/home\/ana\/.config\/ccpulse\/ana.creds<\/string>/);
    expect(plist).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(plist).toMatch(/<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(plist).toContain('<string>/home/ana/Library/Logs/ccpulse-ingest.log</string>');
  });
  it('escapes XML', () => {
    expect(launchdPlist({ ...spec, env: { X: 'a<b&"c"' } })).toContain('<string>a&lt;b&amp;&quot;c&quot;</string>');
  });
  it('goes under ~/Library/LaunchAgents and is loaded with launchctl', () => {
    const layout = serviceLayout('launchd', '/Users/ana', {});
    expect(layout.file).toBe('/Users/ana/Library/LaunchAgents/dev.ccpulse.ingest.plist');
    expect(layout.enable).toEqual([['launchctl', 'load', '-w', layout.file]]);
  });
});

it('picks the service kind by platform', () => {
  expect(servicePlatform('linux')).toBe('systemd');
  expect(servicePlatform('darwin')).toBe('launchd');
  expect(servicePlatform('win32')).toBe('manual');
});
