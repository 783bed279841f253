import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RestrictedClass } from './address-class';
import { postWebhook, WebhookError, type WebhookPolicy } from './post-webhook';

function policy(allow: RestrictedClass[] = [], over: Partial<WebhookPolicy> = {}): WebhookPolicy {
  return { allow: new Set(allow), timeoutMs: 2000, maxResponseBytes: 1024, ...over };
}

async function failure(p: Promise<unknown>): Promise<WebhookError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookError);
  return err as WebhookError;
}

describe('postWebhook', () => {
  let server: http.Server;
  let port: number;
  const received: string[] = [];
  let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        handler(req, res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    received.length = 0;
    handler = (_req, res) => res.end('ok');
  });

  it.each([
    ['http://127.0.0.1:1/', 'loopback'],
    ['http://[::1]:1/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://10.0.0.1/', 'private'],
    ['http://192.168.0.10/', 'private'],
    ['http://[fd00::1]/', 'private'],
    ['http://100.64.1.1/', 'cgnat'],
    ['http://224.0.0.251/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://2130706433/', 'loopback'], // 127.0.0.1 as one number: the URL parser normalises it
  ])('refuses %s (%s) by default', async (url, kind) => {
    const err = await failure(postWebhook(url, { text: 'x' }, policy()));
    expect(err.reason).toBe('refused_address');
    expect(err.message).toContain(`CCPULSE_WEBHOOK_ALLOW=${kind}`);
    expect(err.retryable).toBe(false);
  });

  it('checks the addresses a name resolves to at connect time (localhost is loopback)', async () => {
    const err = await failure(postWebhook(`http://localhost:${port}/hook`, { text: 'x' }, policy()));
    expect(err.reason).toBe('refused_address');
    expect(received).toEqual([]);
  });

  it('reaches a loopback server only when loopback is allowed', async () => {
    await failure(postWebhook(`http://127.0.0.1:${port}/hook`, { text: 'x' }, policy(['private'])));
    expect(received).toEqual([]);
    await expect(postWebhook(`http://127.0.0.1:${port}/hook`, { text: 'hello' }, policy(['loopback']))).resolves.toEqual({ status: 200 });
    await expect(postWebhook(`http://localhost:${port}/hook`, { text: 'again' }, policy(['loopback']))).resolves.toEqual({ status: 200 });
    expect(received.map((b) => JSON.parse(b))).toEqual([{ text: 'hello' }, { text: 'again' }]);
  });

  it('refuses other schemes and credentials in the URL', async () => {
    expect((await failure(postWebhook('file:///etc/passwd', {}, policy(['loopback'])))).reason).toBe('bad_url');
    expect((await failure(postWebhook('ftp://127.0.0.1/', {}, policy(['loopback'])))).reason).toBe('bad_url');
    expect((await failure(postWebhook(`http://u:p@127.0.0.1:${port}/`, {}, policy(['loopback'])))).reason).toBe('bad_url');
    expect((await failure(postWebhook('not a url', {}, policy()))).reason).toBe('bad_url');
    expect(received).toEqual([]);
  });

  it('does not follow a redirect', async () => {
    let followed = false;
    handler = (req, res) => {
      if (req.url === '/target') followed = true;
      res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end();
    };
    const err = await failure(postWebhook(`http://127.0.0.1:${port}/hook`, { text: 'x' }, policy(['loopback'])));
    expect(err.reason).toBe('redirect');
    expect(followed).toBe(false);
    expect(received).toHaveLength(1);
  });

  it('gives up on a server that does not answer in time', async () => {
    handler = () => undefined; // never answers
    const err = await failure(postWebhook(`http://127.0.0.1:${port}/hook`, { text: 'x' }, policy(['loopback'], { timeoutMs: 300 })));
    expect(err.reason).toBe('timeout');
    expect(err.retryable).toBe(true);
  });

  it('cuts off a response larger than the cap', async () => {
    handler = (_req, res) => res.end('x'.repeat(10_000));
    const err = await failure(postWebhook(`http://127.0.0.1:${port}/hook`, { text: 'x' }, policy(['loopback'], { maxResponseBytes: 100 })));
    expect(err.reason).toBe('too_large');
  });

  it('fails on a non-2xx answer, retryable for 5xx only', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    expect(await failure(postWebhook(`http://127.0.0.1:${port}/`, {}, policy(['loopback'])))).toMatchObject({ reason: 'http_status', retryable: true });
    handler = (_req, res) => res.writeHead(404).end();
    expect(await failure(postWebhook(`http://127.0.0.1:${port}/`, {}, policy(['loopback'])))).toMatchObject({ reason: 'http_status', retryable: false });
  });
});
