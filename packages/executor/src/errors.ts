// Errors are values with context: which step, which row, what to do.

/** An error the user should see as one clear message (no stack unless asked). */
export class GleamError extends Error {
  constructor(message: string, readonly step?: string) {
    super(message);
    this.name = 'GleamError';
  }
}

/**
 * Work lost to something outside the task's own logic — its executor thread or agent gone, an
 * input shard lost or deleted under it: running it again can succeed, so the driver retries it
 * (a UDF that throws, a pipe that fails or bad input are GleamErrors: they fail the job at once).
 */
export class LostWorkError extends GleamError {
  constructor(
    message: string,
    /** The agent whose loss caused it, when known. */
    readonly lostAgent?: string,
    /** The shard found missing, when known. */
    readonly lostShard?: string,
  ) {
    super(message);
    this.name = LOST_WORK;
  }
}

export const LOST_WORK = 'LostWork';
export const LOST_INPUT = 'LostInput';

/**
 * A task failed because an input it was reading was lost (its producer's agent or attempt is
 * gone): nothing was wrong with the task itself, so a retry does not count against its attempts.
 */
export class LostInputError extends GleamError {
  constructor(message: string, readonly lostAgent?: string, readonly lostShard?: string) {
    super(message);
    this.name = LOST_INPUT;
  }
}

/** Whether an error (or its serialized form) says the work was lost, not wrong: a retry can succeed. */
export function isLostWork(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === LOST_WORK || name === LOST_INPUT;
}

/** Whether the loss was of an input (the task's own attempt did nothing wrong). */
export function isLostInput(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === LOST_INPUT;
}

/** Plain data form of an error, for crossing threads and processes. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  step?: string;
  /** For lost work: the agent whose loss caused it, when known. */
  lostAgent?: string;
  /** For lost work: the shard found missing, when known. */
  lostShard?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const out: SerializedError = { name: e.name, message: e.message, stack: e.stack, step: (e as GleamError).step };
    const { lostAgent, lostShard } = e as { lostAgent?: string; lostShard?: string };
    if (lostAgent) out.lostAgent = lostAgent;
    if (lostShard) out.lostShard = lostShard;
    return out;
  }
  return { name: 'Error', message: String(e) };
}

export function deserializeError(s: SerializedError): GleamError {
  const err = new GleamError(s.message, s.step);
  err.name = s.name === 'Error' ? 'GleamError' : s.name;
  if (s.stack) err.stack = s.stack;
  if (s.lostAgent) (err as GleamError & { lostAgent?: string }).lostAgent = s.lostAgent;
  if (s.lostShard) (err as GleamError & { lostShard?: string }).lostShard = s.lostShard;
  return err;
}

/** Short, single-line rendering of a row for error messages. */
export function describeRow(row: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(row, describeReplacer);
  } catch {
    text = describeCircular(row);
  }
  if (text === undefined) text = String(row);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

// A circular value: a second visit of an object shows as <circular> (shared ones too: it is a message).
function describeCircular(row: unknown): string {
  const seen = new Set<unknown>();
  try {
    return JSON.stringify(row, (k, v) => {
      const d = describeReplacer(k, v);
      if (d === null || typeof d !== 'object') return d;
      if (seen.has(d)) return '<circular>';
      seen.add(d);
      return d;
    });
  } catch {
    return String(row);
  }
}

// JSON shows a Map or a Promise as {} and drops functions: name them instead.
function describeReplacer(_k: string, v: unknown): unknown {
  switch (typeof v) {
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `<function${v.name ? ` ${v.name}` : ''}>`;
    case 'symbol':
      return `<${String(v)}>`;
    case 'object':
      if (v instanceof Uint8Array) return `<${v.length} bytes>`;
      if (v instanceof Map) return `<Map(${v.size})>`;
      if (v instanceof Set) return `<Set(${v.size})>`;
      if (v instanceof Promise) return '<Promise>';
      return v;
    default:
      return v;
  }
}
