// Real local HTTP services for the delegate tests, the example and the bench's shape: each
// counts what it saw (requests, attempts per body, requests in flight at most).
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Service {
  url: string;
  /** Requests received (every attempt). */
  requests: number;
  /** Most requests in flight at once. */
  maxInFlight: number;
  /** TCP connections accepted (keep-alive reuses them across rows). */
  connections: number;
  /** Bodies received, in arrival order (parsed JSON). */
  bodies: unknown[];
  /** Request headers, in arrival order. */
  headers: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** handler(body, attempt of this body, req, res) answers (or not: a hanging service). */
export async function startService(handler: (body: any, attempt: number, res: http.ServerResponse, req: http.IncomingMessage) => void): Promise<Service> {
  const attempts = new Map<string, number>();
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      s.requests++;
      inFlight++;
      s.maxInFlight = Math.max(s.maxInFlight, inFlight);
      let done = false;
      const settle = () => {
        if (!done) inFlight--;
        done = true;
      };
      res.on('finish', settle);
      res.on('close', settle);
      const body = text === '' ? undefined : JSON.parse(text);
      s.bodies.push(body);
      s.headers.push(req.headers);
      const n = (attempts.get(text) ?? 0) + 1;
      attempts.set(text, n);
      handler(body, n, res, req);
    });
  });
  server.on('connection', () => s.connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const s: Service = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`,
    requests: 0,
    maxInFlight: 0,
    connections: 0,
    bodies: [],
    headers: [],
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  return s;
}

export function json(res: http.ServerResponse, value: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}
