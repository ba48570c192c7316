// Request bodies of the query API: small (a query's text, a login form), read whole with a cap so
// that a client cannot make the server buffer without bound.
import type { IncomingMessage } from 'node:http';

/** The largest body accepted: a query's text or a login form. */
export const MAX_BODY_BYTES = 64 * 1024;

export type BodyAnswer = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'aborted' };

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyAnswer> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      // Refused before reading; the answer closes the connection (the rest is never read).
      resolve({ ok: false, reason: 'too-large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (a: BodyAnswer) => {
      if (done) return;
      done = true;
      resolve(a);
    };
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) finish({ ok: false, reason: 'too-large' });
      else if (!done) chunks.push(c);
    });
    req.on('end', () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/**
 * The query text of a POST /queries body: JSON `{"query": "..."}` when the body is a JSON object
 * (or sent as application/json), the `query` field of a form, else the body itself (text/plain).
 */
export function queryTextOf(body: string, contentType: string | undefined): { text: string } | { error: string } {
  // A plain HTML form (no script) posts `query=...`.
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const q = new URLSearchParams(body).get('query');
    return q === null ? { error: 'the form needs a "query" field' } : { text: q };
  }
  const trimmed = body.trimStart();
  const isJson = (contentType ?? '').toLowerCase().startsWith('application/json') || trimmed.startsWith('{');
  if (!isJson) return { text: body };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    return { error: `the body is not valid JSON: ${(e as Error).message} (send the query as text/plain, or JSON {"query": "SELECT ..."})` };
  }
  const q = (parsed as { query?: unknown } | null)?.query;
  if (typeof q !== 'string') return { error: 'the JSON body needs a "query" string: {"query": "SELECT ..."}' };
  return { text: q };
}
