// One HTTP(S) request with a deadline, for the status page's tests: status, headers, body, and the
// certificate the server presented (https).
import * as http from 'node:http';
import * as https from 'node:https';
import type { TLSSocket } from 'node:tls';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The server certificate's serial number (https only). */
  certSerial?: string;
}

export function httpRequest(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; ca?: Buffer; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      { method: opts.method ?? 'GET', headers: opts.headers, ca: opts.ca, agent: false, timeout: opts.timeoutMs ?? 10000 },
      (res) => {
        const certSerial = u.protocol === 'https:' ? (res.socket as TLSSocket).getPeerCertificate().serialNumber : undefined;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, certSerial }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 10000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Logs in at /login with `secret`; resolves to the answer (a 303 with the session cookie when right). */
export function login(base: string, secret: string, ca?: Buffer): Promise<HttpAnswer> {
  return httpRequest(`${base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ secret }).toString(),
    ca,
  });
}

/** "name=value" of a Set-Cookie answer, to send back as a Cookie header. */
export function cookieOf(answer: HttpAnswer): string {
  const set = answer.headers['set-cookie']?.[0];
  if (!set) throw new Error(`no Set-Cookie in the answer (status ${answer.status})`);
  return set.split(';')[0];
}
