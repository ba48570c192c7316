// A run of consecutive map / flatMap / filter instructions becomes one generated function per
// task instead of a chain of stage objects. Why generated: each task gets fresh code, so every
// call site in it (the UDF calls, the hop to the next step) sees exactly one target and V8
// inlines the whole chain — the user's small UDFs included — into one loop body. Shared stage
// classes see every task's UDFs at the same call sites, go polymorphic, and stop inlining.
//
// Semantics are those of the DSL (docs/operators.md):
//   map      the UDF's array result is the new row, another value a one-field row, undefined drops
//   filter   keeps the row when the UDF returns a truthy value
//   flatMap  the UDF returns an iterable (null/undefined: nothing); array items are rows, other
//            items one-field rows
// A row with one field travels as its bare value (the v* functions) so no array is allocated
// for it. Only array indices and op names go into the generated source; user text never does.
import { GleamError, describeRow } from '../errors';
import { explainUdfError, type Udf } from '../udf/compileUdf';
import { asyncResultError, isAsyncResult } from './asyncResultError';
import { compilePerTask } from './perTaskCode';
import type { Stage } from './stage';

export type UdfOp = 'map' | 'flatMap' | 'filter';

export interface UdfStep {
  op: UdfOp;
  fn: Udf;
  step: string;
}

/** The fused stage for `steps` (at least one), pushing into `next`. */
export function fuseUdfSteps(steps: UdfStep[], next: Stage): Stage {
  if (steps.length === 0) throw new Error('fuseUdfSteps needs at least one step');
  return compilePerTask<Stage>(
    { fns: steps.map((s) => s.fn), steps: steps.map((s) => s.step), next, explain: explainUdfError, notIterable: notIterableError, asyncResult: asyncResultError, GleamError },
    chainSource(steps.map((s) => s.op), next.push1 !== undefined),
  );
}

/** The generated source (exported for tests that pin its shape). */
export function chainSource(ops: UdfOp[], nextHasPush1: boolean): string {
  const out: string[] = ['const isArray = Array.isArray;', 'function thrown(e) { throw e; }'];
  ops.forEach((op, i) => {
    out.push(`const f${i} = fns[${i}], s${i} = steps[${i}];`);
    out.push(callWithRowSource(i));
    out.push(...stepSource(op, i));
  });
  const n = ops.length;
  out.push(`function p${n}(row) { next.push(row); }`);
  out.push(nextHasPush1 ? `function v${n}(value) { next.push1(value); }` : `function v${n}(value) { next.push([value]); }`);
  out.push('return { push: p0, push1: v0, flush() { return next.flush(); }, end() { return next.end(); } };');
  return out.join('\n');
}

// Calls the UDF with the row's fields as arguments, without spreading in the common arities.
function callWithRowSource(i: number): string {
  return (
    `function c${i}(row) { switch (row.length) { ` +
    `case 1: return f${i}(row[0]); case 2: return f${i}(row[0], row[1]); case 3: return f${i}(row[0], row[1], row[2]); ` +
    `case 0: return f${i}(); default: return f${i}(...row); } }`
  );
}

function stepSource(op: UdfOp, i: number): string[] {
  const j = i + 1;
  // out is a row (array) or a one-field row's value.
  // An async UDF's Promise is caught only where it can hide: in map's non-array branch and in a
  // filter result that is truthy but not `true`; array results and booleans pay nothing.
  const emitOne = (row: string) =>
    `if (isArray(out)) p${j}(out); else if (typeof out === 'object' && out !== null && typeof out.then === 'function') throw asyncResult(s${i}, 'map', out, ${row}); else v${j}(out);`;
  const keeps = (row: string) => `keep === true || (keep && (typeof keep.then !== 'function' || thrown(asyncResult(s${i}, 'filter', keep, ${row}))))`;
  switch (op) {
    case 'map':
      return [
        `function p${i}(row) { let out; try { out = c${i}(row); } catch (e) { throw explain(e, s${i}, row); } if (out !== undefined) { ${emitOne('row')} } }`,
        `function v${i}(value) { let out; try { out = f${i}(value); } catch (e) { throw explain(e, s${i}, [value]); } if (out !== undefined) { ${emitOne('[value]')} } }`,
      ];
    case 'filter':
      return [
        `function p${i}(row) { let keep; try { keep = c${i}(row); } catch (e) { throw explain(e, s${i}, row); } if (${keeps('row')}) p${j}(row); }`,
        `function v${i}(value) { let keep; try { keep = f${i}(value); } catch (e) { throw explain(e, s${i}, [value]); } if (${keeps('[value]')}) v${j}(value); }`,
      ];
    case 'flatMap':
      return [
        `function p${i}(row) { let out; try { out = c${i}(row); } catch (e) { throw explain(e, s${i}, row); } if (out !== undefined && out !== null) e${i}(out, row); }`,
        `function v${i}(value) { let out; try { out = f${i}(value); } catch (e) { throw explain(e, s${i}, [value]); } if (out !== undefined && out !== null) e${i}(out, undefined, value); }`,
        // Arrays (the usual split result) are walked by index; other iterables with for-of,
        // where an error of the iterator itself is the UDF's.
        `function e${i}(out, row, value) {`,
        `  if (isArray(out)) { for (let k = 0; k < out.length; k++) { const x = out[k]; if (isArray(x)) p${j}(x); else v${j}(x); } return; }`,
        `  if (typeof out === 'string' || typeof out[Symbol.iterator] !== 'function') throw notIterable(s${i}, out, row === undefined ? [value] : row);`,
        `  try { for (const x of out) { if (isArray(x)) p${j}(x); else v${j}(x); } }`,
        `  catch (e) { if (e instanceof GleamError) throw e; throw explain(e, s${i}, row === undefined ? [value] : row); }`,
        `}`,
      ];
  }
}

function notIterableError(step: string, out: unknown, row: unknown[]): GleamError {
  if (isAsyncResult(out)) return asyncResultError(step, 'flatMap', out, row);
  return new GleamError(`step "${step}": flatMap's UDF must return an iterable (array, Set, generator…), got ${describeRow(out)}\n  row: ${describeRow(row)}`, step);
}
