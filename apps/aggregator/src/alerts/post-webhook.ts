import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { parseWebhookUrl } from '@ccpulse/domain';
import { addressClass, type RestrictedClass } from './address-class';

/** How a webhook POST may go out. */
export interface WebhookPolicy {
  /** Restricted address classes the operator opened (`CCPULSE_WEBHOOK_ALLOW`). */
  allow: ReadonlySet<RestrictedClass>;
  /** The whole exchange — connect, send, response — must finish within this. */
  timeoutMs: number;
  /** Response bodies longer than this are cut off (and the delivery fails). */
  maxResponseBytes: number;
}

export const DEFAULT_WEBHOOK_POLICY: WebhookPolicy = { allow: new Set(), timeoutMs: 5000, maxResponseBytes: 64 * 1024 };

/** Why a webhook POST failed; `retryable` is false when trying again cannot help. */
export class WebhookError extends Error {
  constructor(
    readonly reason: 'bad_url' | 'refused_address' | 'redirect' | 'timeout' | 'too_large' | 'http_status' | 'network',
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WebhookError';
  }
}

/** A URL a webhook may have (the domain's rule); throws WebhookError otherwise. */
export function checkWebhookUrl(raw: string): URL {
  const parsed = parseWebhookUrl(raw);
  if (!parsed.ok) throw new WebhookError('bad_url', parsed.reason, false);
  return parsed.url;
}

function refusal(address: string, policy: WebhookPolicy): WebhookError | undefined {
  const kind = addressClass(address);
  if (kind === 'public' || policy.allow.has(kind)) return undefined;
  return new WebhookError('refused_address', `${address} is a ${kind} address (allow it with CCPULSE_WEBHOOK_ALLOW=${kind})`, false);
}

/**
 * A `lookup` for the socket: resolves the name, and fails the connection if ANY address it
 * resolves to is restricted. It runs at connect time, on the addresses the socket will really
 * use, so a name that answers public for a check and private for the connection (DNS
 * rebinding) cannot slip through.
 */
function guardedLookup(policy: WebhookPolicy): LookupFunction {
  return ((hostname: string, options: { all?: boolean; family?: number }, callback: (...args: any[]) => void) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err);
      for (const a of addresses) {
        const refused = refusal(a.address, policy);
        if (refused) return callback(refused);
      }
      if (addresses.length === 0) return callback(new WebhookError('network', `${hostname} has no address`, true));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  }) as LookupFunction;
}

/**
 * POSTs `body` as JSON to a webhook. Only http(s); every address the target resolves to is
 * checked against the policy at connect time; a redirect is a failure (never followed, so a
 * public endpoint cannot bounce us inward); the exchange is bounded in time and size.
 * Resolves on a 2xx answer, throws WebhookError otherwise.
 */
export async function postWebhook(rawUrl: string, body: unknown, policy: WebhookPolicy = DEFAULT_WEBHOOK_POLICY): Promise<{ status: number }> {
  const url = checkWebhookUrl(rawUrl);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // A literal address never goes through `lookup`: check it here.
  if (isIP(host)) {
    const refused = refusal(host, policy);
    if (refused) throw refused;
  }
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: WebhookError | undefined, status?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve({ status: status! });
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false, // a fresh connection each time: a pooled socket would skip the lookup check
        lookup: guardedLookup(policy),
        headers: { 'content-type': 'application/json', 'content-length': payload.length, 'user-agent': 'ccpulse-webhook' },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxResponseBytes) finish(new WebhookError('too_large', `response larger than ${policy.maxResponseBytes} bytes`, true));
        });
        res.on('error', (err) => finish(new WebhookError('network', err.message, true)));
        res.on('end', () => {
          if (status >= 300 && status < 400) return finish(new WebhookError('redirect', `answered ${status}; redirects are not followed`, false));
          if (status < 200 || status >= 300) return finish(new WebhookError('http_status', `answered ${status}`, status >= 500 || status === 429 || status === 408));
          finish(undefined, status);
        });
      },
    );
    const timer = setTimeout(() => finish(new WebhookError('timeout', `no answer within ${policy.timeoutMs} ms`, true)), policy.timeoutMs);
    req.on('error', (err) => finish(err instanceof WebhookError ? err : new WebhookError('network', err.message, true)));
    req.end(payload);
  });
}
