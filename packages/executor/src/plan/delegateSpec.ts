// The delegate instruction: rows sent to a remote HTTP service, responses appended to the rows.
// Plain data (it crosses to worker threads and agents); the flow-dsl checks it at definition time.

export type DelegateOnError = 'fail' | 'emit';

export interface DelegateSpec {
  url: string;
  method: string;
  /** Sent with every request; their values are never printed (plans, logs, errors). */
  headers: Record<string, string>;
  /** Requests in flight at most, per task. */
  concurrency: number;
  /** Values per request: 1 sends the value, more send a JSON array of values. */
  batchSize: number;
  /** Per attempt, in ms. */
  timeoutMs: number;
  /** Attempts after the first on connection errors, timeouts, 429 and 5xx. */
  retries: number;
  /** First backoff in ms, doubled at each retry (a Retry-After header wins). */
  backoffMs: number;
  onError: DelegateOnError;
}

export const DELEGATE_DEFAULTS: Omit<DelegateSpec, 'url'> = {
  method: 'POST',
  headers: {},
  concurrency: 16,
  batchSize: 1,
  timeoutMs: 10000,
  retries: 3,
  backoffMs: 100,
  onError: 'fail',
};
