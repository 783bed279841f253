import { isLoopbackHost } from './loopback-host';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is this machine only', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', 'localhost.example.com', '127.0.0.256', '128.0.0.1', ''])('%s is reachable from the network', (h) => {
    expect(isLoopbackHost(h)).toBe(false);
  });
});
