// A real `gleam serve` process for the query server's tests: started on a free loopback port over
// a temp folder, its URL read from stdout, stopped by PID (SIGTERM, then SIGKILL). Plus the small
// HTTP and server-sent-event clients the tests speak to it with, and atomic file drops.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { QueryResult } from '@gleam/queries';
import { waitFor } from '../helpers/processes';
import { repoRoot } from '../helpers/runNode';

const GLEAM = path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js');

export interface ServeProcess {
  /** http://127.0.0.1:PORT (no trailing slash). */
  base: string;
  /** 127.0.0.1:PORT */
  address: string;
  proc: ChildProcess;
  logs(): string;
  /** SIGTERM or `signal` (SIGKILL after 10 s); resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServe(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [GLEAM, 'serve', '--port', '0', ...args], { cwd: repoRoot, env: { ...process.env, GLEAM_LOG_LEVEL: 'warn', ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const serve: ServeProcess = {
    base: '',
    address: '',
    proc,
    logs: () => `stdout: ${out}\nstderr: ${err}`,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
      proc.kill(signal);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
  try {
    await waitFor(() => /listening on https?:\/\/\S+\//.test(out) || proc.exitCode !== null, 'gleam serve to print its URL', opts.timeoutMs ?? 30000);
  } catch (e) {
    await serve.stop();
    throw new Error(`${(e as Error).message}\n${serve.logs()}`);
  }
  const m = /listening on (https?:\/\/(\S+))\//.exec(out);
  if (!m) throw new Error(`gleam serve exited (${proc.exitCode}) before listening\n${serve.logs()}`);
  serve.base = m[1];
  serve.address = m[2];
  return serve;
}

export interface ApiAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: any;
  text: string;
}

/** One API call with a deadline; the body is parsed as JSON when it is JSON. */
export function api(base: string, method: string, urlPath: string, opts: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<ApiAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${urlPath}`, { method, headers: { 'content-type': 'text/plain', ...opts.headers }, agent: false, timeout: opts.timeoutMs ?? 10000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${urlPath} within ${opts.timeoutMs ?? 10000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Adds a query; fails the test with the server's answer unless it is 201. */
export async function addQuery(base: string, text: string, headers: Record<string, string> = {}): Promise<string> {
  const a = await api(base, 'POST', '/queries', { body: text, headers });
  if (a.status !== 201) throw new Error(`POST /queries ${JSON.stringify(text)} answered ${a.status}: ${a.text}`);
  return a.body.id as string;
}

export async function result(base: string, id: string, headers: Record<string, string> = {}): Promise<QueryResult> {
  const a = await api(base, 'GET', `/queries/${encodeURIComponent(id)}`, { headers });
  if (a.status !== 200) throw new Error(`GET /queries/${id} answered ${a.status}: ${a.text}`);
  return a.body;
}

/** Polls GET /metrics until `check` holds. */
export async function waitForMetrics(base: string, check: (m: Record<string, number>) => boolean, what: string, timeoutMs = 20000): Promise<Record<string, number>> {
  let last: Record<string, number> = {};
  await waitFor(
    async () => {
      last = (await api(base, 'GET', '/metrics')).body;
      return check(last);
    },
    `${what} (last metrics ${JSON.stringify(last)})`,
    timeoutMs,
    100,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last metrics ${JSON.stringify(last)}`);
  });
  return last;
}

/** Writes a file next to the watched folder, then renames it in: the watcher never sees it half-written. */
export function dropFile(dir: string, name: string, lines: string[]): void {
  const staging = path.join(path.dirname(dir), `.staging-${process.pid}-${name}`);
  fs.writeFileSync(staging, lines.map((l) => `${l}\n`).join(''));
  fs.renameSync(staging, path.join(dir, name));
}

/** A temp area with a `watch` folder inside it (the staging files go beside it). */
export function tempArea(tag: string): { root: string; watch: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `gleam-${tag}-`));
  const watch = path.join(root, 'watch');
  fs.mkdirSync(watch);
  return { root, watch, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface EventClient {
  events: { event: string; data: any }[];
  comments: number;
  ended: boolean;
  close(): void;
}

/** A server-sent events reader over a plain HTTP request (what EventSource does, without a browser). */
export function openEvents(base: string, urlPath: string, headers: Record<string, string> = {}): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const client: EventClient = { events: [], comments: 0, ended: false, close: () => req.destroy() };
    const req = http.get(`${base}${urlPath}`, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`${urlPath} answered ${res.statusCode}`));
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) client.comments++;
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length) client.events.push({ event, data: JSON.parse(data.join('\n')) });
        }
      });
      res.on('end', () => (client.ended = true));
      res.on('error', () => (client.ended = true));
      resolve(client);
    });
    req.on('error', (e) => {
      client.ended = true;
      reject(e);
    });
    req.setTimeout(60000, () => req.destroy());
  });
}

/**
 * The hooks of a test file whose tests each start `gleam serve` over their own temp area: the
 * area is made before each test, and every server started with `start` is stopped (by PID) and
 * the area removed after it.
 */
export function perTestServe(tag: string): { readonly area: ReturnType<typeof tempArea>; start: typeof startServe } {
  let area: ReturnType<typeof tempArea> | undefined;
  const started: ServeProcess[] = [];
  beforeEach(() => {
    area = tempArea(tag);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
    area?.remove();
  });
  return {
    get area() {
      if (!area) throw new Error('perTestServe: the area exists during a test only');
      return area;
    },
    async start(args, opts) {
      const s = await startServe(args, opts);
      started.push(s);
      return s;
    },
  };
}
