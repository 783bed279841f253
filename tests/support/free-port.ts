/**
 * A loopback TCP port nobody listens on right now, for a server a test is about to start (the
 * API, a metrics endpoint, a private nats-server). The OS picks it, so parallel runs never collide.
 */
import net from 'node:net';

/** Binds port 0 on 127.0.0.1, reads the port the OS gave, and releases it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
