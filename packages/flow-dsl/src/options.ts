// Run options: defaults from the environment (GLEAM_MASTER, GLEAM_PLAN, GLEAM_SECRET), validated.
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
  name?: string;
  /** Print task progress to stderr. */
  progress?: boolean;
  /** Where plan mode writes (default process.stdout). */
  planOutput?: NodeJS.WritableStream;
  /** Aborting it cancels the job: its tasks stop, its shards go, its slots are released. */
  signal?: AbortSignal;
  /** Called with every job, stage and task event (started, finished with rows and bytes, failed). */
  onEvent?: JobEventListener;
  /** Attempts of a task whose work was lost (its executor thread or agent died) before the job fails (default 4). */
  maxTaskAttempts?: number;
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
  name?: string;
  progress: boolean;
  planOutput: NodeJS.WritableStream;
  signal?: AbortSignal;
  onEvent?: JobEventListener;
  maxTaskAttempts: number;
}

function envFlag(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function resolveOptions(opts: RunOptions = {}): ResolvedOptions {
  const executors = opts.executors ?? (Number(process.env.GLEAM_EXECUTORS) || os.availableParallelism());
  if (!Number.isInteger(executors) || executors < 1) throw new GleamError(`run: executors must be a positive integer, got ${opts.executors}`);
  const partitions = opts.partitions ?? (Number(process.env.GLEAM_PARTITIONS) || executors);
  if (!Number.isInteger(partitions) || partitions < 1) throw new GleamError(`run: partitions must be a positive integer, got ${opts.partitions}`);
  return {
    master: opts.master ?? (process.env.GLEAM_MASTER || undefined),
    plan: opts.plan ?? envFlag(process.env.GLEAM_PLAN),
    executors,
    executorsGiven: opts.executors !== undefined || Boolean(Number(process.env.GLEAM_EXECUTORS)),
    partitions,
    partitionsGiven: opts.partitions !== undefined || Boolean(Number(process.env.GLEAM_PARTITIONS)),
    secret: opts.secret ?? (process.env.GLEAM_SECRET || undefined),
    name: opts.name,
    progress: opts.progress ?? envFlag(process.env.GLEAM_PROGRESS),
    planOutput: opts.planOutput ?? process.stdout,
    signal: checkSignal(opts.signal),
    onEvent: opts.onEvent,
    maxTaskAttempts: checkAttempts(opts.maxTaskAttempts),
  };
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
