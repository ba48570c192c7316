// The status page's HTTP server (node:http, or node:https when the master has TLS): `/` as HTML,
// `/status.json` as JSON. With a cluster secret, a browser logs in at `/login` (a session
// cookie) and scripts send the `x-gleam-secret` header; the secret is never accepted in a URL.
import type * as http from 'node:http';
import type { Logger } from 'pino';
import type { ClusterStatusResponse__Output, ServerTls } from '@gleam/proto';
import { listenHttp, type ListeningHttp } from './httpListen';
import { renderLoginPage, renderLoginRequired } from './loginPage';
import { renderStatusPage } from './statusPage';
import { StatusSessions } from './statusSession';

/** "https" scheme when served with TLS. */
export type StatusHttpServer = ListeningHttp;
export { formatAddress } from './httpListen';

/** The largest login form accepted (a secret and its field name). */
const MAX_LOGIN_BODY = 8192;
/** A wrong secret is answered this much later, to slow guessing. */
const WRONG_SECRET_DELAY_MS = 500;

/** The login form's body (application/x-www-form-urlencoded), or undefined when too large or cut. */
function readForm(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      // The rest is read and dropped; the answer closes the connection.
      if (size > MAX_LOGIN_BODY) resolve(undefined);
      else chunks.push(c);
    });
    req.on('end', () => resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve(undefined));
    req.on('close', () => resolve(undefined));
  });
}

export async function startStatusHttp(opts: { host: string; port: number; secret?: string; tls?: ServerTls; status: () => ClusterStatusResponse__Output; logger: Logger }): Promise<StatusHttpServer> {
  const sessions = opts.secret ? new StatusSessions(opts.secret, Boolean(opts.tls)) : undefined;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://status');
    const send = (code: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(code, {
        'content-type': `${type}; charset=utf-8`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        // The login form must not be framed by another site (clickjacking), and links leak nothing.
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (url.pathname === '/login') {
      if (req.method === 'POST') {
        if (!sessions) return send(303, 'text/plain', 'see /\n', { location: '/' });
        const form = await readForm(req);
        if (!form) return send(413, 'text/plain', `the login form is limited to ${MAX_LOGIN_BODY} bytes\n`, { connection: 'close' });
        if (sessions.secretMatches(form.get('secret') ?? undefined)) {
          return send(303, 'text/plain', 'logged in: see /\n', { location: '/', 'set-cookie': sessions.newSessionCookie() });
        }
        opts.logger.warn({ from: req.socket.remoteAddress }, 'status page: login with a wrong secret');
        await new Promise((r) => setTimeout(r, WRONG_SECRET_DELAY_MS));
        return send(401, 'text/html', renderLoginPage({ wrong: true }));
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD, POST' });
      return send(200, 'text/html', renderLoginPage({ noSecret: !sessions }));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
    if (sessions && !sessions.allows(req)) return send(401, 'text/html', renderLoginRequired());
    if (url.pathname === '/status.json') return send(200, 'application/json', JSON.stringify(opts.status()));
    if (url.pathname === '/' || url.pathname === '/index.html') return send(200, 'text/html', renderStatusPage(opts.status(), Date.now()));
    return send(404, 'text/plain', 'not found\n');
  }

  return listenHttp(opts, handle, (e) => opts.logger.error({ err: e }, 'status page failed'));
}
