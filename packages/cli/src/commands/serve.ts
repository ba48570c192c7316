// `gleam serve`: a standing-query server over a watched folder until SIGINT/SIGTERM. Closed by
// default like the master: loopback only unless a secret is set (and TLS, or --insecure).
import * as fs from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { resolveSecret, secretOptions, type SecretFlags } from '../secretOption';
import { serverTls, serverTlsOptions, type ServerTlsFlags } from '../tlsOptions';
import { stopOnSignals } from '../stopOnSignals';
import { parsePort } from './master';

interface ServeCommandOptions extends SecretFlags, ServerTlsFlags {
  watch: string;
  format: 'jsonl' | 'csv' | 'text';
  header?: boolean;
  batchMs: number;
  host: string;
  port: number;
  master?: string;
  checkpoint?: string;
  executors?: number;
  sseHeartbeat?: number;
}

function positiveInt(what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}

async function runServe(opts: ServeCommandOptions): Promise<void> {
  // Loaded here, not at the top: `gleam run` must not pay for the query engine.
  const { QueryEngine, startQueryServer } = await import('@gleam/queries');
  const { requireSafeBind } = await import('@gleam/proto');
  const { createLogger } = await import('../logger');
  const logger = createLogger({ name: 'gleam-serve' });
  const secret = resolveSecret(opts, (message) => logger.warn(message));
  const tls = serverTls(opts, 'gleam serve');
  requireSafeBind(opts.host, { secret, tls: Boolean(tls), insecure: opts.insecure }, 'gleam serve');
  if (!fs.statSync(opts.watch, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`gleam serve: --watch ${opts.watch} is not a directory`);
  if (opts.header && opts.format !== 'csv') throw new Error('gleam serve: --header goes with --format csv only');
  // The jobs on a TLS cluster trust --tls-ca, else GLEAM_TLS_CA (as `gleam run` does): a file path.
  const caFile = opts.tlsCa || process.env.GLEAM_TLS_CA || undefined;
  const engine = new QueryEngine({
    watchDir: opts.watch,
    format: opts.format,
    header: opts.header,
    batchMs: opts.batchMs,
    master: opts.master,
    checkpoint: opts.checkpoint,
    secret,
    tls: caFile ? { ca: caFile } : undefined,
    executors: opts.executors,
  });
  engine.on('error', (e: Error) => logger.error({ err: e }, 'batch failed (its files are retried with the next batch)'));
  engine.on('batch', (b) => logger.debug({ files: b.files.length, rows: b.rows, ms: b.ms }, 'batch done'));
  await engine.start();
  const server = await startQueryServer({ engine, host: opts.host, port: opts.port, secret, tls, watchDir: opts.watch, format: opts.format, heartbeatMs: opts.sseHeartbeat, onError: (e) => logger.error({ err: e }, 'request failed') }).catch(async (e: Error) => {
    await engine.stop();
    throw new Error(`gleam serve: cannot listen on ${opts.host}:${opts.port}: ${e.message}${/EADDRINUSE/.test(e.message) ? ' (another server has this port: pass --port N, or 0 for a free one)' : ''}`);
  });
  // Scripts and tests read the URL from stdout; the log line is for people and collectors.
  process.stdout.write(`gleam serve: listening on ${server.url} (watching ${opts.watch}, ${opts.format}${opts.master ? `, jobs on ${opts.master}` : ''})\n`);
  logger.info({ url: server.url, watch: opts.watch, master: opts.master, checkpoint: opts.checkpoint }, `query server listening on ${server.url}`);
  // HTTP first (no new queries), then the engine: it finishes its batch and writes the checkpoint.
  stopOnSignals(logger, () => server.close().then(() => engine.stop()));
}

export function serveCommand(): Command {
  const cmd = new Command('serve')
    .description('run a standing-query server over a watched folder: HTTP API, live web page at /, server-sent events (log in at /login when a secret is set)')
    .requiredOption('--watch <dir>', 'the folder whose new files are read (files already there are not)')
    .addOption(new Option('--format <format>', 'how lines become rows').choices(['jsonl', 'csv', 'text']).makeOptionMandatory())
    .option('--header', 'csv: the first line of each file names the fields')
    .option('--batch-ms <ms>', 'micro-batch interval', positiveInt('a positive number of milliseconds'), 1000)
    .option('--host <host>', 'interface to bind (any but loopback needs a secret, and TLS or --insecure)', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0: a free port)', parsePort(0), 45400)
    .option('--master <host:port>', 'run the batches on the agents of this master')
    .option('--checkpoint <dir>', 'keep queries, their state and the processed files here; a restarted server resumes from it')
    .option('--executors <n>', 'executor threads in local mode', positiveInt('a positive integer'))
    // Tests shorten it to see heartbeats; 15 s suits proxies and browsers.
    .addOption(new Option('--sse-heartbeat <ms>', 'comment lines on idle event streams this often').argParser(positiveInt('a positive number of milliseconds')).hideHelp());
  for (const o of [...secretOptions(), ...serverTlsOptions()]) cmd.addOption(o);
  return cmd.action((opts: ServeCommandOptions) => runServe(opts));
}
