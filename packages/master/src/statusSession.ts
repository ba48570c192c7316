// Who may see the status page: a browser that logged in at /login (a session cookie), or a script
// sending the secret in the `x-gleam-secret` header. The secret never travels in a URL (URLs end
// up in logs, histories and Referer headers) nor in the cookie itself.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SECRET_METADATA_KEY } from '@gleam/proto';

export const SESSION_COOKIE = 'gleam_session';
/** How long a login lasts. */
export const SESSION_MS = 12 * 60 * 60 * 1000;

function sameText(a: string, b: string): boolean {
  const d = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(d(a), d(b));
}

export class StatusSessions {
  /** Signs sessions; derived from the secret, so changing the secret ends every session. */
  private readonly key: Buffer;

  constructor(private readonly secret: string, private readonly secure: boolean) {
    this.key = createHash('sha256').update(`gleam status session\0${secret}`).digest();
  }

  secretMatches(given: string | undefined): boolean {
    return typeof given === 'string' && sameText(given, this.secret);
  }

  /** A session token: "<expiry ms>.<HMAC of the expiry>" (no server state, survives a master restart). */
  private token(expiresMs: number): string {
    return `${expiresMs}.${createHmac('sha256', this.key).update(String(expiresMs)).digest('base64url')}`;
  }

  /** The Set-Cookie value of a new session (Secure when the page is served over TLS). */
  newSessionCookie(now = Date.now()): string {
    const parts = [`${SESSION_COOKIE}=${this.token(now + SESSION_MS)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${SESSION_MS / 1000}`];
    if (this.secure) parts.push('Secure');
    return parts.join('; ');
  }

  /** True when the request carries a live session cookie or the secret in its header. */
  allows(req: IncomingMessage, now = Date.now()): boolean {
    const header = req.headers[SECRET_METADATA_KEY];
    if (this.secretMatches(Array.isArray(header) ? header[0] : header)) return true;
    const token = cookieValue(req.headers.cookie, SESSION_COOKIE);
    if (!token) return false;
    const dot = token.indexOf('.');
    const expires = Number(token.slice(0, dot));
    if (dot < 1 || !Number.isSafeInteger(expires) || expires <= now) return false;
    return sameText(token, this.token(expires));
  }
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
