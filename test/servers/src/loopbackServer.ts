import { Server } from 'http';
import { AddressInfo } from 'net';

/*
 * The lifecycle every local test server shares: listen on a free port of
 * 127.0.0.1, tell its base URL, and stop with open connections cut.
 */

/**
 * Listens on 127.0.0.1, on `port` or else a free port; rejects when that
 * fails (e.g. the port is taken).
 */
export async function listenOnLoopback(
  server: Server,
  port = 0,
): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** `http://127.0.0.1:<port>` of a listening server. */
export function loopbackUrl(server: Server): string {
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/** Closes the server, cutting keep-alive connections instead of waiting. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>(resolve => server.close(() => resolve()));
}
