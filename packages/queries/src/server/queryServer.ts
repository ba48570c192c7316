// The HTTP face of a query engine (node:http, or node:https with TLS): the JSON API
// (POST/GET/DELETE /queries, /queries/ID, /metrics), server-sent events and the web page. The
// engine is given, not built here: the server only calls the QueryEngineApi and listens to its
// updates, so adding or removing a query never touches another's state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenHttp, renderLoginPage, renderLoginRequired } from '@gleam/master';
import type { QueryEngineApi, QueryResult } from '../engine/types';
import { ServerAccess } from './access';
import { EventStreams, dataEvent, updateEvent } from './eventStreams';
import { MAX_BODY_BYTES, queryTextOf, readBody } from './httpBody';
import { PAGE_CSP, PAGE_CSS, PAGE_JS, renderQueryPage } from './webPage';

/** The default port of `gleam serve`. */
export const DEFAULT_SERVE_PORT = 45400;
/** A wrong secret at /login is answered this much later, to slow guessing. */
const WRONG_SECRET_DELAY_MS = 500;

export interface QueryServerOptions {
  engine: QueryEngineApi;
  host: string;
  /** 0: a free port. */
  port: number;
  secret?: string;
  tls?: { cert: Buffer; key: Buffer };
  /** Shown on the page. */
  watchDir?: string;
  format?: string;
  /** Comment lines on idle event streams this often; default 15000. */
  heartbeatMs?: number;
  /** Told about failed requests (a bug, not a client's mistake). */
  onError?: (err: Error) => void;
}

export interface QueryServer {
  /** host:port */
  address: string;
  /** e.g. http://127.0.0.1:45400/ */
  url: string;
  /** Open event streams (clients that went away are gone from it at once). */
  eventClients(): number;
  /** Stops listening and ends the event streams; the engine is left to its owner. */
  close(): Promise<void>;
}

const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** The id of `/queries/ID` or `/queries/ID/events`, decoded; undefined for other paths. */
function queryPath(pathname: string): { id: string; events: boolean } | undefined {
  const m = /^\/queries\/([^/]+)(\/events)?\/?$/.exec(pathname);
  if (!m) return undefined;
  try {
    return { id: decodeURIComponent(m[1]), events: Boolean(m[2]) };
  } catch {
    return undefined;
  }
}

export async function startQueryServer(opts: QueryServerOptions): Promise<QueryServer> {
  const { engine } = opts;
  const access = new ServerAccess(opts.secret, Boolean(opts.tls));
  const streams = new EventStreams(opts.heartbeatMs ?? 15000);
  const onUpdate = (r: QueryResult) => streams.update(r);
  engine.on('update', onUpdate);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Leading slashes collapsed: `//queries` would otherwise parse as a host name.
    const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), 'http://serve');
    const method = req.method ?? 'GET';
    const send = (code: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, ...COMMON_HEADERS, ...headers });
      res.end(method === 'HEAD' ? undefined : body);
    };
    const json = (code: number, value: unknown, headers: Record<string, string> = {}) => send(code, 'application/json', `${JSON.stringify(value)}\n`, headers);
    const notAllowed = (allow: string) => json(405, { error: `${method} is not allowed on ${url.pathname} (allowed: ${allow})` }, { allow });
    const readable = method === 'GET' || method === 'HEAD';

    if (url.pathname === '/login') {
      if (method === 'POST') {
        if (!access.sessions) return send(303, 'text/plain', 'see /\n', { location: '/' });
        const body = await readBody(req);
        if (!body.ok) return send(413, 'text/plain', `the login form is limited to ${MAX_BODY_BYTES} bytes\n`, { connection: 'close' });
        if (access.sessions.secretMatches(new URLSearchParams(body.text).get('secret') ?? undefined)) {
          return send(303, 'text/plain', 'logged in: see /\n', { location: '/', 'set-cookie': access.sessions.newSessionCookie() });
        }
        await new Promise((r) => setTimeout(r, WRONG_SECRET_DELAY_MS));
        return send(401, 'text/html', renderLoginPage({ wrong: true, name: 'gleam serve' }));
      }
      if (!readable) return notAllowed('GET, HEAD, POST');
      return send(200, 'text/html', renderLoginPage({ noSecret: !access.hasSecret, name: 'gleam serve' }));
    }
    // The page's script and style hold no data: served without a login, so the login redirect works.
    if (url.pathname === '/app.js' && readable) return send(200, 'text/javascript', PAGE_JS);
    if (url.pathname === '/app.css' && readable) return send(200, 'text/css', PAGE_CSS);
    // Browsers ask for it unprompted; an empty answer keeps their consoles free of 404s.
    if (url.pathname === '/favicon.ico' && readable) {
      res.writeHead(204, COMMON_HEADERS);
      return void res.end();
    }

    const allowed = access.check(req, !readable);
    if (!allowed.ok) {
      if (url.pathname === '/' && readable && allowed.status === 401) return send(401, 'text/html', renderLoginRequired('gleam serve'));
      return json(allowed.status, { error: allowed.error });
    }

    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!readable) return notAllowed('GET, HEAD');
      return send(200, 'text/html', renderQueryPage({ watchDir: opts.watchDir, format: opts.format }), { 'content-security-policy': PAGE_CSP });
    }
    if (url.pathname === '/metrics') {
      if (!readable) return notAllowed('GET, HEAD');
      return json(200, engine.metrics());
    }
    if (url.pathname === '/events') {
      if (method !== 'GET') return notAllowed('GET');
      const results = engine.list().map((q) => engine.get(q.id)).filter((r): r is QueryResult => r !== undefined);
      return streams.open(res, undefined, [`event: snapshot\ndata: ${JSON.stringify(results.map((r) => r.id))}\n\n`, ...results.map(updateEvent)]);
    }
    if (url.pathname === '/queries' || url.pathname === '/queries/') {
      if (readable) return json(200, engine.list());
      if (method !== 'POST') return notAllowed('GET, HEAD, POST');
      const body = await readBody(req);
      if (!body.ok) {
        if (body.reason === 'too-large') return json(413, { error: `a query is limited to ${MAX_BODY_BYTES} bytes` }, { connection: 'close' });
        return; // the client went away
      }
      const query = queryTextOf(body.text, req.headers['content-type']);
      if ('error' in query) return json(400, { error: query.error, position: 0 });
      let added;
      try {
        added = engine.add(query.text);
      } catch (e) {
        // A QuerySyntaxError carries the bare cause in `error` (its message adds the position).
        const err = e as Error & { error?: unknown; position?: unknown };
        return json(400, { error: typeof err.error === 'string' ? err.error : err.message, position: typeof err.position === 'number' ? err.position : 0 });
      }
      return json(201, { id: added.id }, { location: `/queries/${encodeURIComponent(added.id)}` });
    }
    const q = queryPath(url.pathname);
    if (q) {
      const result = engine.get(q.id);
      if (q.events) {
        if (method !== 'GET') return notAllowed('GET');
        if (!result) return json(404, { error: `no query ${q.id}` });
        return streams.open(res, q.id, [dataEvent(result)]);
      }
      if (readable) return result ? json(200, result) : json(404, { error: `no query ${q.id}` });
      if (method !== 'DELETE') return notAllowed('GET, HEAD, DELETE');
      if (!engine.remove(q.id)) return json(404, { error: `no query ${q.id}` });
      streams.removed(q.id);
      return json(200, { id: q.id, removed: true });
    }
    return json(404, { error: `not found: ${url.pathname}` });
  }

  const listening = await listenHttp(opts, handle, (e) => opts.onError?.(e));
  return {
    address: listening.address,
    url: `${listening.scheme}://${listening.address}/`,
    eventClients: () => streams.size,
    close: () => {
      engine.off('update', onUpdate);
      // Event streams end first: the server waits for no open response.
      streams.close();
      return listening.close();
    },
  };
}
