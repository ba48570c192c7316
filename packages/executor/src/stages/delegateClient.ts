// One request of a delegate step, with its retries: undici through keep-alive pools kept per
// executor thread (one per origin and concurrency, of at most `concurrency` sockets, reused across
// rows and tasks). Retried: connection
// errors, timeouts, 429 and 5xx, after an exponential backoff or the server's Retry-After;
// any other non-2xx answer ends at once. Header values never appear in what this returns.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from 'undici';
import type { DelegateSpec } from '../plan/delegateSpec';

export type DelegateOutcome = { ok: true; value: unknown } | { ok: false; error: string; status: number | null };

const pools = new Map<string, Pool>();
/**
 * Bounded: an unbounded pool opens a new socket when a request comes in the moment between a
 * response and its socket being marked free. Idle sockets are unref'd by undici: they do not
 * keep a process alive.
 */
function poolFor(url: URL, connections: number): Pool {
  const key = `${url.origin} ${connections}`;
  let pool = pools.get(key);
  if (!pool) {
    // Loaded on first use: executor threads that never delegate do not pay for loading undici.
    const { Pool } = require('undici') as typeof import('undici');
    pool = new Pool(url.origin, { connections, keepAliveTimeout: 10000, keepAliveMaxTimeout: 60000 });
    pools.set(key, pool);
  }
  return pool;
}

interface Attempt {
  outcome: DelegateOutcome;
  /** Whether another attempt may succeed, and after how long at least (Retry-After). */
  retry: boolean;
  retryAfterMs?: number;
}

/** Where a step's requests go: worked out once per task. */
export interface DelegateTarget {
  spec: DelegateSpec;
  pool: Pool;
  path: string;
  headers: Record<string, string>;
}

export function delegateTarget(spec: DelegateSpec): DelegateTarget {
  const url = new URL(spec.url);
  return { spec, pool: poolFor(url, spec.concurrency), path: url.pathname + url.search, headers: { 'content-type': 'application/json', ...spec.headers } };
}

/**
 * The task's cancellation for its requests and backoffs: one listener on the task's signal
 * aborts every controller in flight (a listener per request would pile up on the signal).
 */
export class Cancellation {
  private readonly live = new Set<AbortController>();
  constructor(readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => {
      for (const c of this.live) c.abort(signal.reason);
    }, { once: true });
  }
  /** A controller aborted with the task; release() it when done. */
  open(): AbortController {
    const c = new AbortController();
    if (this.signal.aborted) c.abort(this.signal.reason);
    else this.live.add(c);
    return c;
  }
  release(c: AbortController): void {
    this.live.delete(c);
  }
}

/** The longest Retry-After honoured: a longer one ends the retries (the task would sit idle). */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * Sends `body` (JSON text) and returns the parsed answer: for a batch (`expect` values) an array
 * of that length. Rejects only when the task is cancelled.
 */
export async function delegateCall(target: DelegateTarget, body: string, expect: number | undefined, cancel: Cancellation): Promise<DelegateOutcome> {
  const { spec, pool, path, headers } = target;
  for (let attempt = 0; ; attempt++) {
    const a = await attemptOnce(spec, pool, path, headers, body, expect, cancel);
    if (a.outcome.ok || !a.retry || attempt >= spec.retries) {
      if (!a.outcome.ok && a.retry && spec.retries > 0) a.outcome.error += ` (after ${attempt + 1} attempts)`;
      return a.outcome;
    }
    // A server asking for a longer pause than a task should sit idle gets no more attempts.
    if (!a.outcome.ok && a.retryAfterMs !== undefined && a.retryAfterMs > MAX_RETRY_AFTER_MS) {
      a.outcome.error += ` (it asked to retry after ${Math.round(a.retryAfterMs / 1000)} s, beyond the ${MAX_RETRY_AFTER_MS / 1000} s a delegate waits; after ${attempt + 1} attempts)`;
      return a.outcome;
    }
    const c = cancel.open();
    try {
      await sleep(a.retryAfterMs ?? spec.backoffMs * 2 ** attempt, undefined, { signal: c.signal });
    } finally {
      cancel.release(c);
    }
  }
}

async function attemptOnce(spec: DelegateSpec, pool: Pool, path: string, headers: Record<string, string>, body: string, expect: number | undefined, cancel: Cancellation): Promise<Attempt> {
  const signal = cancel.signal;
  if (signal.aborted) throw signal.reason ?? new Error('cancelled');
  const ac = cancel.open();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, spec.timeoutMs);
  try {
    const res = await pool.request({ path, method: spec.method as 'POST', headers, body, signal: ac.signal });
    const text = await res.body.text();
    const status = res.statusCode;
    if (status < 200 || status >= 300) {
      const retry = status === 429 || status >= 500;
      const snippet = redact(text.length > 200 ? `${text.slice(0, 200)}…` : text, spec.headers).trim();
      return { outcome: { ok: false, error: `answered ${status}${snippet ? `: ${snippet}` : ''}`, status }, retry, retryAfterMs: retryAfter(res.headers['retry-after']) };
    }
    return { outcome: parse(text, String(res.headers['content-type'] ?? ''), expect, status, spec), retry: false };
  } catch (e) {
    if (signal.aborted) throw e;
    const error = timedOut ? `timed out after ${spec.timeoutMs} ms` : `request failed: ${redact(e instanceof Error ? describeCause(e) : String(e), spec.headers)}`;
    return { outcome: { ok: false, error, status: null }, retry: true };
  } finally {
    clearTimeout(timer);
    cancel.release(ac);
  }
}

/** JSON when the server says so (or for a batch, which must be a JSON array), else text. */
function parse(text: string, contentType: string, expect: number | undefined, status: number, spec: DelegateSpec): DelegateOutcome {
  const json = expect !== undefined || /\bjson\b/i.test(contentType);
  if (!json) return { ok: true, value: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const snippet = redact(text.length > 100 ? `${text.slice(0, 100)}…` : text, spec.headers);
    return { ok: false, error: `answered ${status} with invalid JSON: ${snippet}`, status };
  }
  if (expect !== undefined && (!Array.isArray(value) || value.length !== expect)) {
    const got = Array.isArray(value) ? `an array of ${value.length}` : typeof value;
    return { ok: false, error: `answered a batch of ${expect} values with ${got}: with batchSize > 1 the service must answer a JSON array of one result per value, in order`, status };
  }
  return { ok: true, value };
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
function retryAfter(h: string | string[] | undefined): number | undefined {
  const v = Array.isArray(h) ? h[0] : h;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

function describeCause(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  const code = (e as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  const msg = cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  return code && !msg.includes(code) ? `${code} ${msg}` : msg;
}

/** Header values the service echoed back never reach a message. */
function redact(text: string, headers: Record<string, string>): string {
  let out = text;
  for (const v of Object.values(headers)) if (v.length >= 4) out = out.split(v).join('<redacted>');
  return out;
}
