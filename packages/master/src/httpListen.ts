// One HTTP(S) server for a small async request handler: the master's status page and the query
// server of `gleam serve` (@gleam/queries) share it. A handler that throws answers 500.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ListeningHttp {
  /** host:port actually bound (port 0 resolved). */
  address: string;
  scheme: 'http' | 'https';
  close(): Promise<void>;
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function listenHttp(
  opts: { host: string; port: number; tls?: { cert: Buffer; key: Buffer } },
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  onError: (err: Error) => void,
): Promise<ListeningHttp> {
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e: Error) => {
      onError(e);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      } else res.destroy();
    });
  };
  const server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, listener) : http.createServer(listener);
  // Browsers keep connections open; they must not hold up stop().
  server.keepAliveTimeout = 2000;
  // A client that never finishes its request (a half-sent form) is dropped; a long response
  // (server-sent events) is not bounded by this.
  server.requestTimeout = 10000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: formatAddress(opts.host, bound.port),
    scheme: opts.tls ? 'https' : 'http',
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
