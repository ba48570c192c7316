// UDF params travel with the task: structured-cloned to local executor threads, msgpack-encoded
// to agents. Values neither carries faithfully are refused when the step is defined, with the
// path to the value, so a flow fails the same way locally and on a cluster (a function used to
// fail locally with "could not be cloned", naming no step, and hang a cluster).
import { findUncarryable, GleamError } from '@gleam/executor';

/** Throws a GleamError naming the step and the path (`params.centroids[2].f`) of a value params cannot carry. */
export function checkParams(params: unknown, step: string, name = 'params'): void {
  const u = findUncarryable(params, name);
  if (u === undefined) return;
  const fix = u.what.startsWith('is a function') ? 'params carry data: put the code in the UDF, or pass its source as a string' : u.fix;
  throw new GleamError(`step "${step}": ${u.path} ${u.what}, which params cannot carry (${u.becomes}); ${fix}`, step);
}
