// A sync UDF step (map, flatMap, filter, mapPartitions) whose UDF returned a Promise or an async
// iterable: it cannot wait for it (rows flow through a sync loop), so it fails pointing to the
// async operators instead of silently emitting {} rows or keeping every row.
import { describeRow, GleamError } from '../errors';

export type SyncUdfOp = 'map' | 'flatMap' | 'filter' | 'mapPartitions';

const INSTEAD: Record<SyncUdfOp, string> = {
  map: 'map needs the new row at once — use mapAsync(fn, { concurrency }) for UDFs that return Promises',
  flatMap: 'flatMap needs an iterable at once — use flatMapAsync(fn, { concurrency }) for UDFs that return Promises or async iterables',
  filter: 'filter needs true or false at once (a Promise is always truthy) — to filter on an async result use flatMapAsync and return [row] to keep it, [] to drop it',
  mapPartitions: 'mapPartitions needs an iterable at once — for async work per row use mapAsync(fn, { concurrency }) or flatMapAsync',
};

/** Whether a UDF result is a Promise-like or an async iterable (checked only off the common path). */
export function isAsyncResult(out: unknown): boolean {
  if (out === null || (typeof out !== 'object' && typeof out !== 'function')) return false;
  return typeof (out as { then?: unknown }).then === 'function' || typeof (out as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/** The error for a sync step whose UDF returned `out`, a Promise or an async iterable. */
export function asyncResultError(step: string, op: SyncUdfOp, out: unknown, row: unknown[] | undefined): GleamError {
  const thenable = typeof (out as { then?: unknown }).then === 'function';
  // The step fails now: a later rejection of this Promise must not crash the thread as unhandled.
  if (thenable) Promise.resolve(out).catch(() => {});
  const what = thenable ? 'a Promise (is it an async function?)' : 'an async iterable (is it an async generator?)';
  const rowText = row === undefined ? '' : `\n  row: ${describeRow(row)}`;
  return new GleamError(`step "${step}": the UDF returned ${what}; ${INSTEAD[op]}${rowText}`, step);
}
