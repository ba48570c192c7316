// The status page's HTTP server (node:http): `/` as HTML, `/status.json` as JSON. With a
// cluster secret, each request must carry it (`?secret=` or header `x-gleam-secret`).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { SECRET_METADATA_KEY, type ClusterStatusResponse__Output } from '@gleam/proto';
import { renderStatusPage } from './statusPage';

export interface StatusHttpServer {
  address: string;
  close(): Promise<void>;
}

function sameSecret(got: string | undefined, secret: string): boolean {
  if (typeof got !== 'string') return false;
  const d = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(d(got), d(secret));
}

export function formatAddress(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export async function startStatusHttp(opts: { host: string; port: number; secret?: string; status: () => ClusterStatusResponse__Output; logger: Logger }): Promise<StatusHttpServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://status');
    const send = (code: number, type: string, body: string) => {
      res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n');
      if (opts.secret) {
        const header = req.headers[SECRET_METADATA_KEY];
        const given = url.searchParams.get('secret') ?? (Array.isArray(header) ? header[0] : header);
        if (!sameSecret(given, opts.secret)) return send(401, 'text/plain', 'missing or wrong cluster secret: add ?secret=... or the x-gleam-secret header\n');
      }
      if (url.pathname === '/status.json') return send(200, 'application/json', JSON.stringify(opts.status()));
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const query = opts.secret && url.searchParams.has('secret') ? `?secret=${encodeURIComponent(url.searchParams.get('secret')!)}` : '';
        return send(200, 'text/html', renderStatusPage(opts.status(), Date.now(), query));
      }
      return send(404, 'text/plain', 'not found\n');
    } catch (e) {
      opts.logger.error({ err: e }, 'status page failed');
      if (!res.headersSent) send(500, 'text/plain', 'internal error\n');
      else res.destroy();
    }
  });
  // Browsers keep connections open; they must not hold up stop().
  server.keepAliveTimeout = 2000;
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
