import { addressClass } from './address-class';
import { parseWebhookAllow } from './webhook-allow';

describe('addressClass', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'],
    ['[::1]', 'loopback'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
    ['::ffff:8.8.8.8', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(addressClass(address)).toBe(kind);
  });

  it('throws on a name', () => {
    expect(() => addressClass('example.com')).toThrow(/not an IP address/);
  });
});

describe('parseWebhookAllow', () => {
  it('reads a comma list in any case, and nothing from an empty value', () => {
    expect([...parseWebhookAllow(' Loopback, private ,')]).toEqual(['loopback', 'private']);
    expect(parseWebhookAllow(undefined).size).toBe(0);
  });

  it('names an unknown class and the known ones', () => {
    expect(() => parseWebhookAllow('loopback,intranet')).toThrow(/unknown address class 'intranet' \(known: loopback, link-local/);
  });
});
