// Run options: defaults from the environment (GLEAM_MASTER, GLEAM_PLAN, GLEAM_SECRET,
// GLEAM_TLS_CA), validated.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { GleamError } from '@gleam/executor';
import type { JobEventListener } from '@gleam/driver';

export interface RunOptions {
  /** host:port of a master: run distributed. */
  master?: string;
  /** Print the plan and run nothing. */
  plan?: boolean;
  /** Executor threads in local mode (default: os.availableParallelism()). */
  executors?: number;
  /** Default partition count of shuffles and driver sources (default: executors). */
  partitions?: number;
  secret?: string;
  /**
   * Talk TLS to the cluster. `ca` is the PATH of a PEM file of the CA certificate(s) that signed
   * the servers' certificates (default: GLEAM_TLS_CA; `{}` trusts the system's roots).
   */
  tls?: { ca?: string };
  name?: string;
  /**
   * Show the job's progress on stderr: a live display per stage on a terminal, a line per stage
   * change elsewhere. Default: on when stderr is a terminal (GLEAM_PROGRESS=1 forces it on,
   * GLEAM_PROGRESS=0 or `gleam run --quiet` off); `false` turns it off.
   */
  progress?: boolean;
  /** Where plan mode writes (default process.stdout). */
  planOutput?: NodeJS.WritableStream;
  /** Aborting it cancels the job: its tasks stop, its shards go, its slots are released. */
  signal?: AbortSignal;
  /** Called with every job, stage and task event (started, finished with rows and bytes, failed). */
  onEvent?: JobEventListener;
  /** Attempts of a task whose work was lost (its executor thread or agent died) before the job fails (default 4). */
  maxTaskAttempts?: number;
  /**
   * Local mode's memory budget in MB (default: a quarter of the machine's memory, at most 4 GB):
   * the shard store holds this much before spilling, and the executors' sorts, joins and groups a
   * quarter as much again (split among them) before spilling to disk; MEMORY_ONLY cached partitions
   * beyond the store's budget are recomputed when read. On a cluster each agent's `--memory` sets it.
   */
  memoryMB?: number;
}

export interface ResolvedOptions {
  master?: string;
  plan: boolean;
  executors: number;
  /** Whether executors came from the user (on a cluster: the slots to ask for). */
  executorsGiven: boolean;
  partitions: number;
  /** Whether partitions came from the user (else distributed mode uses the granted slots). */
  partitionsGiven: boolean;
  secret?: string;
  /** The CA trusted on a cluster (read from its file), or undefined for plaintext. */
  tls?: { ca?: Buffer };
  name?: string;
  progress: boolean;
  planOutput: NodeJS.WritableStream;
  signal?: AbortSignal;
  onEvent?: JobEventListener;
  maxTaskAttempts: number;
  memoryMB?: number;
}

function envFlag(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function resolveOptions(opts: RunOptions = {}): ResolvedOptions {
  const executors = opts.executors ?? (Number(process.env.GLEAM_EXECUTORS) || os.availableParallelism());
  if (!Number.isInteger(executors) || executors < 1) throw new GleamError(`run: executors must be a positive integer, got ${opts.executors}`);
  const partitions = opts.partitions ?? (Number(process.env.GLEAM_PARTITIONS) || executors);
  if (!Number.isInteger(partitions) || partitions < 1) throw new GleamError(`run: partitions must be a positive integer, got ${opts.partitions}`);
  const master = opts.master ?? (process.env.GLEAM_MASTER || undefined);
  return {
    master,
    plan: opts.plan ?? envFlag(process.env.GLEAM_PLAN),
    executors,
    executorsGiven: opts.executors !== undefined || Boolean(Number(process.env.GLEAM_EXECUTORS)),
    partitions,
    partitionsGiven: opts.partitions !== undefined || Boolean(Number(process.env.GLEAM_PARTITIONS)),
    secret: opts.secret ?? (process.env.GLEAM_SECRET || undefined),
    // Read only for a cluster: a local run has no use for it (and no file to fail on).
    tls: master ? resolveTls(opts.tls) : undefined,
    name: opts.name,
    progress: opts.progress ?? (process.env.GLEAM_PROGRESS ? envFlag(process.env.GLEAM_PROGRESS) : process.stderr.isTTY === true),
    planOutput: opts.planOutput ?? process.stdout,
    signal: checkSignal(opts.signal),
    onEvent: opts.onEvent,
    maxTaskAttempts: checkAttempts(opts.maxTaskAttempts),
    memoryMB: checkMemory(opts.memoryMB),
  };
}

function checkMemory(mb: unknown): number | undefined {
  if (mb === undefined) return undefined;
  if (typeof mb !== 'number' || !Number.isFinite(mb) || mb <= 0) throw new GleamError(`run: memoryMB must be a positive number of megabytes, got ${JSON.stringify(mb)}`);
  return mb;
}

function resolveTls(tls: unknown): { ca?: Buffer } | undefined {
  if (tls === undefined) {
    const file = process.env.GLEAM_TLS_CA;
    return file ? { ca: readCa(file, 'GLEAM_TLS_CA') } : undefined;
  }
  if (tls === null || typeof tls !== 'object' || Array.isArray(tls)) throw new GleamError(`run: tls must be an object like { ca: '/path/to/ca.pem' }, got ${tls === null ? 'null' : typeof tls}`);
  const ca = (tls as { ca?: unknown }).ca;
  if (ca === undefined) return {};
  if (typeof ca !== 'string' || !ca) throw new GleamError(`run: tls.ca must be the path of a PEM file of CA certificates, got ${typeof ca}`);
  return { ca: readCa(ca, 'run: tls.ca') };
}

function readCa(file: string, what: string): Buffer {
  if (file.includes('-----BEGIN ')) throw new GleamError(`${what} is the path of a PEM file, not the certificate text: write it to a file and give its path`);
  let pem: Buffer;
  try {
    pem = fs.readFileSync(file);
  } catch (e) {
    throw new GleamError(`${what}: cannot read the CA certificate file ${file}: ${(e as Error).message}`);
  }
  if (!pem.includes('-----BEGIN ')) throw new GleamError(`${what}: ${file} is not a PEM file (tls.ca is a file path, not the certificate text)`);
  return pem;
}

function checkSignal(signal: unknown): AbortSignal | undefined {
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw new GleamError(`run: signal must be an AbortSignal (e.g. AbortSignal.timeout(60_000) or an AbortController's signal), got ${typeof signal}`);
}

function checkAttempts(n: unknown): number {
  if (n === undefined) return 4;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new GleamError(`run: maxTaskAttempts must be a positive integer, got ${JSON.stringify(n)}`);
  return n;
}

