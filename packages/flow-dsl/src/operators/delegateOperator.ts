// delegate: send every element to a remote REST service (SAMBA's delegate) and append its answer,
// on a Dataset and per batch on a DStream. Options are checked here, at definition time; the
// requests run in the executors (stages/delegateStage.ts), on a cluster on the agents.
import { DELEGATE_DEFAULTS, GleamError, type DelegateOnError, type DelegateSpec } from '@gleam/executor';
import { Dataset } from '../dataset';
import { positiveInt } from '../fields';
import type { Concat } from '../rowTypes';
import { DStream } from '../streaming/dstream';

export interface DelegateOptions {
  /** http:// or https:// URL of the service. */
  url: string;
  /** POST (default), PUT, PATCH or DELETE: the value travels as the JSON body. */
  method?: string;
  /** Sent with every request (e.g. authorization); values are never printed. */
  headers?: Record<string, string>;
  /** Requests in flight at most, per task (default 16). */
  concurrency?: number;
  /** Values per request (default 1); above 1 the body is a JSON array and so must the answer be, of the same length. */
  batchSize?: number;
  /** Per attempt (default 10000). */
  timeoutMs?: number;
  /** Attempts after the first, on connection errors, timeouts, 429 and 5xx (default 3). */
  retries?: number;
  /** Backoff before the first retry, doubled after each (default 100); Retry-After wins. */
  backoffMs?: number;
  /** After the last attempt: fail the step (default), or emit `{ error, status }` as the response. */
  onError?: DelegateOnError;
}

declare module '../dataset' {
  interface Dataset<R extends unknown[]> {
    /**
     * Sends every row's value (a one-field row's field, else the row's fields as an array) as a
     * JSON body to `url` and yields `[...row, response]` (parsed JSON when the service answers
     * JSON, else text), in input order within a partition. See DelegateOptions.
     */
    delegate(target: string | DelegateOptions): Dataset<Concat<R, [any]>>;
  }
}

declare module '../streaming/dstream' {
  interface DStream<R extends unknown[]> {
    /** Dataset.delegate on every batch. */
    delegate(target: string | DelegateOptions): DStream<Concat<R, [any]>>;
  }
}

const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];
const KEYS = new Set(['url', 'method', 'headers', 'concurrency', 'batchSize', 'timeoutMs', 'retries', 'backoffMs', 'onError']);

/** The checked spec of delegate(target); errors name the step. */
export function delegateSpec(target: unknown, step: string): DelegateSpec {
  const fail = (msg: string): never => {
    throw new GleamError(`step "${step}": delegate ${msg}`, step);
  };
  const opts = (typeof target === 'string' ? { url: target } : target) as DelegateOptions;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) return fail(`expects a URL or { url, ... }, got ${typeof target === 'object' ? JSON.stringify(target) : typeof target}`);
  for (const k of Object.keys(opts)) if (!KEYS.has(k)) fail(`has no option "${k}" (options: ${[...KEYS].join(', ')})`);
  const url = opts.url;
  if (typeof url !== 'string') return fail(`needs url: a string, got ${typeof url}`);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) fail(`url must be an http:// or https:// URL, got ${JSON.stringify(url)}`);
  // Credentials in a URL would be printed with it: they belong in headers.
  if (parsed && (parsed.username || parsed.password)) fail('url must not carry user:password (pass credentials in headers, whose values are never printed)');
  const method = (opts.method ?? DELEGATE_DEFAULTS.method).toString().toUpperCase();
  if (!METHODS.includes(method)) fail(`method must be one of ${METHODS.join(', ')} (the value travels as the body), got ${JSON.stringify(opts.method)}`);
  const headers: Record<string, string> = {};
  if (opts.headers !== undefined) {
    if (opts.headers === null || typeof opts.headers !== 'object' || Array.isArray(opts.headers)) fail('headers must be an object of header name -> string value');
    for (const [name, v] of Object.entries(opts.headers)) {
      // The value is not shown: it may be a credential.
      if (typeof v !== 'string') fail(`header "${name}" must have a string value, got ${typeof v}`);
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail(`header name ${JSON.stringify(name)} is not a valid HTTP header name`);
      if (/[\r\n\0]/.test(v)) fail(`header "${name}" has a line break or NUL in its value`);
      headers[name] = v;
    }
  }
  const num = (v: unknown, what: string, allowZero: boolean, def: number) => (v === undefined ? def : positiveInt(v, step, `delegate's ${what}`, allowZero));
  const onError = opts.onError ?? DELEGATE_DEFAULTS.onError;
  if (onError !== 'fail' && onError !== 'emit') fail(`onError must be 'fail' or 'emit', got ${JSON.stringify(onError)}`);
  return {
    url,
    method,
    headers,
    concurrency: num(opts.concurrency, 'concurrency', false, DELEGATE_DEFAULTS.concurrency),
    batchSize: num(opts.batchSize, 'batchSize', false, DELEGATE_DEFAULTS.batchSize),
    timeoutMs: num(opts.timeoutMs, 'timeoutMs', false, DELEGATE_DEFAULTS.timeoutMs),
    retries: num(opts.retries, 'retries', true, DELEGATE_DEFAULTS.retries),
    backoffMs: num(opts.backoffMs, 'backoffMs', true, DELEGATE_DEFAULTS.backoffMs),
    onError,
  };
}

(Dataset.prototype as Dataset<any>).delegate = function (target) {
  return this.narrow('Delegate', (step) => ({ op: 'delegate', step, delegate: delegateSpec(target, step) }));
};

(DStream.prototype as DStream<any>).delegate = function (target) {
  // Checked now, not at the first batch.
  delegateSpec(target, 'delegate');
  return this.perBatch('delegate', (ds) => ds.delegate(target));
};
