import { isIPv4, isIPv6 } from 'node:net';

/**
 * The kinds of address a webhook may not reach unless the operator allows them
 * (`CCPULSE_WEBHOOK_ALLOW`). Anything else is `public`, which is always allowed.
 */
export const RESTRICTED_CLASSES = ['loopback', 'link-local', 'private', 'cgnat', 'multicast', 'unspecified', 'reserved'] as const;
export type RestrictedClass = (typeof RESTRICTED_CLASSES)[number];
export type AddressClass = RestrictedClass | 'public';

function v4Octets(address: string): number[] {
  return address.split('.').map(Number);
}

function classifyV4(address: string): AddressClass {
  const [a, b] = v4Octets(address);
  if (a === 0) return 'unspecified'; // 0.0.0.0/8: "this network"; connecting to it reaches the host itself
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local'; // cloud metadata (169.254.169.254) lives here
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240/4 and the broadcast address
  return 'public';
}

/** Eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted v4 folded in). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4Octets(v4[1]);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

function classifyV6(address: string): AddressClass {
  const g = v6Groups(address);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return 'unspecified';
  if (zeros(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and the deprecated IPv4-compatible form reach the v4 address.
  if (zeros(5) && (g[5] === 0xffff || g[5] === 0)) {
    return classifyV4(`${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`);
  }
  // NAT64 (64:ff9b::/96) embeds a v4 address the gateway will reach.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) {
    return classifyV4(`${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`);
  }
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // unique local fc00::/7
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The class of a literal IP address (v4 or v6); throws on anything else. */
export function addressClass(address: string): AddressClass {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIPv4(bare)) return classifyV4(bare);
  if (isIPv6(bare)) return classifyV6(bare);
  throw new Error(`not an IP address: '${address}'`);
}
