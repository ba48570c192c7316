// `gleam query add|list|show|rm`: the standing queries of a `gleam serve`, over its HTTP API.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { Command } from 'commander';
import { resolveSecret, secretOptions, warnOnStderr, type SecretFlags } from '../secretOption';
import { clientTls, clientTlsOption } from '../tlsOptions';
import { textTable } from './status';

/** Every call gets this long. */
const SERVER_CALL_TIMEOUT_MS = 10000;
const DEFAULT_SERVER = '127.0.0.1:45400';

interface QueryFlags extends SecretFlags {
  server?: string;
  tlsCa?: string;
  json?: boolean;
}

interface Answer {
  status: number;
  body: any;
}

/** --server, else GLEAM_SERVE, else the default `gleam serve` on this machine. */
function serverAddress(flags: QueryFlags): string {
  return flags.server || process.env.GLEAM_SERVE || DEFAULT_SERVER;
}

/** One call of the server's API; the answer's JSON body, or an Error a person can act on. */
function call(flags: QueryFlags, method: string, path: string, body?: string): Promise<Answer> {
  const server = serverAddress(flags);
  const secret = resolveSecret(flags, warnOnStderr);
  const tls = clientTls(flags.tlsCa);
  const url = new URL(path, `${tls ? 'https' : 'http'}://${server}`);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (secret) headers.authorization = `Bearer ${secret}`;
  if (body !== undefined) headers['content-type'] = 'text/plain; charset=utf-8';
  return new Promise((resolve, reject) => {
    const req = (tls ? https : http).request(url, { method, headers, ca: tls?.ca, agent: false, timeout: SERVER_CALL_TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('error', reject);
      res.on('end', () => {
        let parsed: any;
        try {
          parsed = JSON.parse(text);
        } catch {
          return reject(new Error(`query server ${server} answered ${res.statusCode} with something that is not JSON (is ${server} a gleam serve?): ${text.slice(0, 200)}`));
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${SERVER_CALL_TIMEOUT_MS} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      const hint = e.code === 'ECONNREFUSED' ? ' (is `gleam serve` running there? pass --server HOST:PORT or set GLEAM_SERVE)' : '';
      reject(new Error(`cannot reach the query server ${server}: ${e.message}${hint}`));
    });
    req.end(body);
  });
}

/** The server refused: its message (and the secret hint on 401). */
function refused(a: Answer, what: string): Error {
  const msg = typeof a.body?.error === 'string' ? a.body.error : JSON.stringify(a.body);
  return new Error(`${what}: ${msg}`);
}

/** A syntax error as a person reads it: the message, the line of the query, a caret under the position. */
export function caretMessage(text: string, error: string, position: number): string {
  const pos = Math.max(0, Math.min(position, text.length));
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  const end = text.indexOf('\n', pos);
  const line = text.slice(start, end < 0 ? text.length : end);
  return `${error} (at position ${position})\n  ${line}\n  ${' '.repeat(pos - start)}^`;
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function print(flags: QueryFlags, value: unknown, text: () => string): void {
  process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text());
}

function withServerOptions(cmd: Command, json = false): Command {
  cmd.option('--server <host:port>', `the query server (default: GLEAM_SERVE, then ${DEFAULT_SERVER})`);
  if (json) cmd.option('--json', 'print the answer as JSON');
  for (const o of [...secretOptions(), clientTlsOption()]) cmd.addOption(o);
  return cmd;
}

export function queryCommand(): Command {
  const cmd = new Command('query').description('add, list, show and remove the standing queries of a gleam serve');
  cmd.addCommand(
    withServerOptions(new Command('add'))
      .description('add a standing query; prints its id')
      .argument('<text...>', "the query, e.g. \"SELECT kind, count(*) GROUP BY kind\" (several words are joined with spaces; - reads it from stdin)")
      .action(async (words: string[], flags: QueryFlags) => {
        // `-`: a long query kept in a file, `gleam query add - < top.sql`.
        const text = words.length === 1 && words[0] === '-' ? fs.readFileSync(0, 'utf8').trim() : words.join(' ');
        const a = await call(flags, 'POST', '/queries', text);
        if (a.status === 400 && typeof a.body?.error === 'string') throw new Error(`query refused: ${caretMessage(text, a.body.error, Number(a.body.position) || 0)}`);
        if (a.status !== 201) throw refused(a, 'query add');
        process.stdout.write(`${a.body.id}\n`);
      }),
  );
  cmd.addCommand(
    withServerOptions(new Command('list'), true)
      .description('list the standing queries: id and text')
      .action(async (flags: QueryFlags) => {
        const a = await call(flags, 'GET', '/queries');
        if (a.status !== 200) throw refused(a, 'query list');
        const list = a.body as { id: string; text: string }[];
        print(flags, list, () => (list.length ? `${textTable(['ID', 'QUERY'], list.map((q) => [q.id, q.text.replace(/\s+/g, ' ')]))}\n` : 'no queries\n'));
      }),
  );
  cmd.addCommand(
    withServerOptions(new Command('show'), true)
      .description("print a query's current result as a table")
      .argument('<id>', 'the query id (from query add or query list)')
      .action(async (id: string, flags: QueryFlags) => {
        const a = await call(flags, 'GET', `/queries/${encodeURIComponent(id)}`);
        if (a.status !== 200) throw refused(a, 'query show');
        const r = a.body as { id: string; text: string; columns: string[]; rows: unknown[][]; updatedAt: string; batches: number };
        print(flags, r, () => {
          const head = `${r.id}: ${r.text.replace(/\s+/g, ' ')}\n${r.batches} batch${r.batches === 1 ? '' : 'es'}, updated ${r.updatedAt}\n\n`;
          return head + (r.rows.length ? textTable(r.columns, r.rows.map((row) => row.map(cell))) : `${r.columns.join('  ')}\n(no rows)`) + '\n';
        });
      }),
  );
  cmd.addCommand(
    withServerOptions(new Command('rm'))
      .description('remove a standing query (the others keep their state)')
      .argument('<id>', 'the query id')
      .action(async (id: string, flags: QueryFlags) => {
        const a = await call(flags, 'DELETE', `/queries/${encodeURIComponent(id)}`);
        if (a.status !== 200) throw refused(a, 'query rm');
        process.stdout.write(`removed ${id}\n`);
      }),
  );
  return cmd;
}
