// Shared by the conformance cases and their runners: the case shape, a stable text form of
// values for multiset comparison, and small helpers that turn action results into plain data.
import type { Flow, RunOptions } from '@gleam/flow-dsl';
import { sortedByText } from '../operators/helpers';

export interface ConformanceCase {
  name: string;
  /** Builds the case's datasets on `flow` (or on its own Flow, for cache() and sinks) and runs them. */
  run: (flow: Flow, opts: RunOptions) => PromiseLike<unknown>;
  expected: unknown;
  /** The result is an array whose order Spark does not define: compared as a sorted multiset. */
  unordered?: boolean;
}

/** A stable text form of any value (NaN, ±Infinity, bigint and -0 kept apart from look-alikes). */
export function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'bigint') return `bigint:${x}`;
    if (typeof x === 'number' && !Number.isFinite(x)) return `number:${x}`;
    if (typeof x === 'number' && Object.is(x, -0)) return 'number:-0';
    if (x instanceof Map) return { map: sortedRows([...x.entries()]) };
    return x;
  });
}

/** Rows sorted by their text form: a multiset compares equal whatever the order. */
export function sortedRows<T>(rows: T[]): T[] {
  return sortedByText(rows, canon);
}

/** A Map action result as [key, count] entries in a stable order. */
export function entries(m: Map<unknown, number>): [unknown, number][] {
  return sortedRows([...m.entries()]);
}

/** Rounds a float to 12 significant digits (partial results merge in partition order). */
export function round(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

export function roundAll<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? round(v) : v;
  return out as T;
}

/**
 * Runs `fn` (which may throw at once, or reject) and describes the outcome: the string
 * `rejected: <re>` when the error message matches `re`, else what actually happened.
 */
export async function failure(fn: () => unknown, re: RegExp): Promise<string> {
  try {
    const v = await fn();
    return `resolved: ${canon(v)}`;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return re.test(msg) ? `rejected: ${re}` : `rejected with another error: ${msg}`;
  }
}

export function rejected(re: RegExp): string {
  return `rejected: ${re}`;
}

/** 0, 1, ..., n-1 (or from, ..., from+n-1) */
export function range(n: number, from = 0): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}

/** Asserts a case's result: exact, or as a sorted multiset for unordered cases. */
export function checkCase(c: ConformanceCase, actual: unknown): void {
  if (c.unordered) {
    if (!Array.isArray(actual)) throw new Error(`expected an array of rows, got ${canon(actual)}`);
    expect(sortedRows(actual)).toEqual(sortedRows(c.expected as unknown[]));
  } else {
    expect(actual).toEqual(c.expected);
  }
}
