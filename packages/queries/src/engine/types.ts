// The contract between the standing-query engine (engine/, sql/) and its presentation layers
// (server/: HTTP API, server-sent events, web page; the `gleam serve` and `gleam query` commands).
// The engine owns parsing, the shared per-batch plan, query state and checkpoints; a server only
// calls these methods and listens to these events.

/** How a watched file's lines become rows: JSON objects, CSV with header names, or one `line` field. */
export type InputFormat = 'jsonl' | 'csv' | 'text';

export interface QueryEngineOptions {
  /** The folder watched for new files (files that arrive after the engine starts, like textFileStream). */
  watchDir: string;
  format: InputFormat;
  /** csv only: the first line of each file names the fields (otherwise fields are c1, c2, ...). */
  header?: boolean;
  /** Micro-batch interval; default 1000. */
  batchMs?: number;
  /** Run each batch's job on this cluster (host:port) instead of local executor threads. */
  master?: string;
  /** Keep queries, their state and the processed-file list here; a restarted engine resumes from it. */
  checkpoint?: string;
  /** Cluster secret and TLS material passed through to the jobs' run options. */
  secret?: string;
  tls?: { ca?: string };
  /** Local executors (local mode only). */
  executors?: number;
  /** Partitions of a batch's files (default: the engine's, from the executors). */
  partitions?: number;
  /** Also read the files already in the folder at the first start (default false: only new ones). */
  includeExisting?: boolean;
}

/** A query the parser refused: the message names the cause; position is a 0-based offset into the text. */
export interface QueryErrorInfo {
  error: string;
  position: number;
}

export interface QuerySummary {
  id: string;
  text: string;
}

/** GET /queries/ID: the query's current result. */
export interface QueryResult {
  id: string;
  text: string;
  columns: string[];
  rows: unknown[][];
  /** ISO time of the last update (the query's creation time before its first batch). */
  updatedAt: string;
  /** Batches this query has seen since it was added. */
  batches: number;
}

/** GET /metrics. Counters since the engine started (or since its checkpoint was first created). */
export interface EngineMetrics {
  files: number;
  rowsParsed: number;
  batches: number;
  jobs: number;
  predicateEvaluations: number;
  queries: number;
  [extra: string]: number;
}

export interface QueryEngineEvents {
  /** A query's result changed (after a batch, or when it was added). */
  update: (result: QueryResult) => void;
  /** A batch finished: which files it read and how long it took. */
  batch: (info: { files: string[]; rows: number; ms: number }) => void;
  /** A batch failed (the engine keeps running; the files are retried with the next batch). */
  error: (err: Error) => void;
}

export interface QueryEngineApi {
  start(): Promise<void>;
  /** Parses and registers a query; throws a QuerySyntaxError (with `position`) on bad text. */
  add(text: string): QuerySummary;
  /** false when no such query. Never restarts anything; other queries keep their state. */
  remove(id: string): boolean;
  list(): QuerySummary[];
  get(id: string): QueryResult | undefined;
  metrics(): EngineMetrics;
  on<E extends keyof QueryEngineEvents>(event: E, listener: QueryEngineEvents[E]): this;
  off<E extends keyof QueryEngineEvents>(event: E, listener: QueryEngineEvents[E]): this;
  /** Finishes the running batch, writes the checkpoint, stops watching. */
  stop(): Promise<void>;
}

/** What `add` throws for a query it cannot accept: the cause, and where in the text (0-based). */
export class QuerySyntaxError extends Error implements QueryErrorInfo {
  readonly error: string;
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} (at position ${position})`);
    this.name = 'QuerySyntaxError';
    this.error = message;
  }

  toJSON(): QueryErrorInfo {
    return { error: this.error, position: this.position };
  }
}
