// The web UI's HTTP server (node:http, or node:https when the master has TLS): `/` (agents, jobs,
// streams) and `/jobs/ID` (a job's DAG, stages and tasks) as HTML kept live over server-sent
// events (`/events`, `/jobs/ID/events`), `POST /jobs/ID/cancel`, and `/status.json` as JSON. With a cluster secret, a browser logs in at `/login` (a session
// cookie) and scripts send the `x-gleam-secret` header; the secret is never accepted in a URL.
import type * as http from 'node:http';
import type { Logger } from 'pino';
import type { ClusterStatusResponse__Output, ServerTls } from '@gleam/proto';
import { listenHttp, type ListeningHttp } from './httpListen';
import { renderLoginPage, renderLoginRequired } from './loginPage';
import { isFinishedJobState, type CancelJobResponse__Output, type JobStatus__Output } from '@gleam/proto';
import { jobPath, renderJobLive, renderJobPage } from './jobPage';
import { LiveStreams } from './liveEvents';
import { renderStatusLive, renderStatusPage } from './statusPage';
import { StatusSessions } from './statusSession';

/** "https" scheme when served with TLS. */
export type StatusHttpServer = ListeningHttp;
export { formatAddress } from './httpListen';

/** How long a job page's events go on after the job finished: its driver's last report may come later. */
const FINAL_GRACE_MS = 3000;
/** The largest login form accepted (a secret and its field name). */
const MAX_LOGIN_BODY = 8192;
/** A wrong secret is answered this much later, to slow guessing. */
const WRONG_SECRET_DELAY_MS = 500;

const securityHeaders: Record<string, string> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // Pages must not be framed by another site (clickjacking: a hidden cancel button).
  'x-frame-options': 'DENY',
  // Same-origin requests still say where they come from (the cancel's check); links to other sites leak nothing.
  'referrer-policy': 'same-origin',
};

/** True when the request's Origin (or, without one, its Referer) is this server. */
function sameOrigin(req: http.IncomingMessage): boolean {
  const from = req.headers.origin ?? req.headers.referer;
  if (!from || from === 'null') return false;
  try {
    return new URL(from).host === req.headers.host;
  } catch {
    return false;
  }
}

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

export async function startStatusHttp(opts: { host: string; port: number; secret?: string; tls?: ServerTls; status: () => ClusterStatusResponse__Output; job?: (jobId: string) => JobStatus__Output | undefined; cancel?: (jobId: string, reason: string) => CancelJobResponse__Output; logger: Logger }): Promise<StatusHttpServer> {
  const sessions = opts.secret ? new StatusSessions(opts.secret, Boolean(opts.tls)) : undefined;
  const live = new LiveStreams();
  const findJob = (jobId: string) => (opts.job ? opts.job(jobId) : opts.status().jobs.find((j) => j.report?.jobId === jobId));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://status');
    const send = (code: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': `${type}; charset=utf-8`, ...securityHeaders, ...headers });
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
    const jobRoute = /^\/jobs\/([^/]+)(\/events|\/cancel)?$/.exec(url.pathname);
    if (jobRoute?.[2] === '/cancel') {
      if (req.method !== 'POST') return send(405, 'text/plain', 'method not allowed\n', { allow: 'POST' });
      if (sessions && !sessions.allows(req)) return send(401, 'text/html', renderLoginRequired());
      // The session cookie is SameSite=Strict; a master without a secret has none, so a cancel
      // must come from one of its own pages (another site's form cannot cancel jobs).
      if (!sameOrigin(req)) return send(403, 'text/plain', 'cancel refused: the request does not come from this web UI (its Origin or Referer is another site or missing)\n');
      const jobId = decodeURIComponent(jobRoute[1]);
      const answer = opts.cancel?.(jobId, 'from the web UI');
      if (!answer?.found) return send(404, 'text/plain', `no job ${jobId}\n`);
      opts.logger.info({ job: jobId, from: req.socket.remoteAddress, state: answer.state }, 'web UI: cancel');
      return send(303, 'text/plain', `job ${jobId}: ${answer.state}\n`, { location: jobPath(jobId) });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
    if (sessions && !sessions.allows(req)) return send(401, 'text/html', renderLoginRequired());
    if (url.pathname === '/status.json') return send(200, 'application/json', JSON.stringify(opts.status()));
    if (url.pathname === '/' || url.pathname === '/index.html') return send(200, 'text/html', renderStatusPage(opts.status(), Date.now()));
    if (url.pathname === '/events') {
      return live.serve(req, res, securityHeaders, () => ({ html: renderStatusLive(opts.status(), Date.now()), final: false }));
    }
    if (jobRoute) {
      const jobId = decodeURIComponent(jobRoute[1]);
      const job = findJob(jobId);
      if (!job) return send(404, 'text/plain', `no job ${jobId} (the master keeps the last finished jobs only)\n`);
      if (!jobRoute[2]) return send(200, 'text/html', renderJobPage(job, Date.now()));
      return live.serve(req, res, securityHeaders, () => {
        const j = findJob(jobId);
        const now = Date.now();
        // A job the master ended still hears from its driver for a moment (its last figures).
        return j ? { html: renderJobLive(j, now), final: isFinishedJobState(j.report!.state) && now - Number(j.report!.finishedMs) > FINAL_GRACE_MS } : undefined;
      });
    }
    return send(404, 'text/plain', 'not found\n');
  }

  return listenHttp(opts, handle, (e) => opts.logger.error({ err: e }, 'status page failed'));
}
