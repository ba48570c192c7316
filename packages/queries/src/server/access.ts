// Who may use the query server. Closed by default like the master: without a secret it listens on
// loopback only (the bind policy of `gleam serve`) and still refuses requests whose Host is not a
// loopback name (a web page cannot reach it through DNS rebinding); with a secret every call needs
// it — the session cookie of /login (browsers), or the secret in `x-gleam-secret` or
// `Authorization: Bearer` (scripts, `gleam query`). Changes sent by a browser must come from this
// server's own page (Origin), so that another site cannot add or remove queries.
import type { IncomingMessage } from 'node:http';
import { StatusSessions } from '@gleam/master';
import { isLoopback } from '@gleam/proto';

export type AccessAnswer = { ok: true } | { ok: false; status: 401 | 403; error: string };

/** Host header names that reach this machine only: `localhost`, 127.x.x.x, [::1], with any port. */
function loopbackHostHeader(host: string | undefined): boolean {
  if (!host) return true; // HTTP/1.0 clients send none; they are not browsers.
  return isLoopback(host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, ''));
}

export class ServerAccess {
  readonly sessions: StatusSessions | undefined;

  constructor(secret: string | undefined, secure: boolean) {
    this.sessions = secret ? new StatusSessions(secret, secure) : undefined;
  }

  get hasSecret(): boolean {
    return this.sessions !== undefined;
  }

  private bearerMatches(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    return this.sessions !== undefined && auth !== undefined && /^Bearer /i.test(auth) && this.sessions.secretMatches(auth.slice(7).trim());
  }

  /** Whether the request may read (and, when `change`, modify) the server's queries. */
  check(req: IncomingMessage, change: boolean): AccessAnswer {
    if (!this.sessions) {
      if (!loopbackHostHeader(req.headers.host)) return { ok: false, status: 403, error: `this server has no secret and answers loopback names only, not Host ${req.headers.host}` };
    } else if (!this.bearerMatches(req) && !this.sessions.allows(req)) {
      return { ok: false, status: 401, error: 'missing or wrong cluster secret: log in at /login, or send it as "Authorization: Bearer SECRET" or in the x-gleam-secret header (gleam query: set GLEAM_SECRET or pass --secret-file FILE)' };
    }
    if (change) {
      const origin = req.headers.origin;
      // Browsers send Origin on cross-site POST/DELETE; scripts send none.
      if (origin !== undefined && origin !== 'null' && hostOf(origin) !== req.headers.host) return { ok: false, status: 403, error: `a change from another site (Origin ${origin}) is refused` };
      if (origin === 'null') return { ok: false, status: 403, error: 'a change from an opaque origin is refused' };
    }
    return { ok: true };
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
