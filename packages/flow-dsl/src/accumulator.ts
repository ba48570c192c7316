// flow.accumulator(initial, { merge? }): a value UDFs add to through their params. The handle
// travels as its marker field (`__gleamAccumulator`, see @gleam/executor udf/accumulators.ts);
// each task adds into its own partial, and a job that succeeded merges into `value` the partials
// of the attempt of each task whose output it used — once per task, however often it ran.
import { checkUdfSyntax, describeRow, GleamError, udfSource } from '@gleam/executor';
import { Accumulator, registerAccumulator } from './accumulatorHandle';
import { Flow } from './flow';

export interface AccumulatorOptions<T> {
  /**
   * Combines two values (associative and commutative; it may update and return `a`, never `b`).
   * It travels to executors as source text, like a UDF: it can use only its arguments. Without
   * it, numbers (or bigints) add up.
   */
  merge?: (a: T, b: T) => T;
}

declare module './flow' {
  interface Flow {
    /**
     * A value UDFs add to with `params.acc.add(x)` (pass it as `{ params: { acc } }`); read
     * `acc.value` in the driver after an action. A job adds each task's additions once, when it
     * succeeds.
     */
    accumulator<T = number>(initial: T, opts?: AccumulatorOptions<T>): Accumulator<T>;
  }
}

Flow.prototype.accumulator = function <T>(this: Flow, initial: T, opts: AccumulatorOptions<T> = {}): Accumulator<T> {
  return registerAccumulator(this.session, (id) => makeAccumulator(id, initial, opts));
};

function makeAccumulator<T>(id: number, initial: T, opts: AccumulatorOptions<T>): Accumulator<T> {
  const what = `flow.accumulator(#${id})`;
  if (opts.merge !== undefined) {
    const source = udfSource(opts.merge, what);
    checkUdfSyntax(source, what);
    // The driver's copy: merge may update its first argument.
    const own = typeof initial === 'object' && initial !== null ? structuredClone(initial) : initial;
    return new Accumulator<T>(own, { id, kind: 'merge', merge: source }, opts.merge);
  }
  if (typeof initial !== 'number' && typeof initial !== 'bigint') {
    throw new GleamError(`${what}: the initial value is ${describeRow(initial)}; without a merge function an accumulator adds numbers (or bigints) — pass { merge: (a, b) => ... } for other values`);
  }
  const add = ((a: number, b: number) => a + b) as unknown as (a: T, b: T) => T;
  return new Accumulator<T>(initial, { id, kind: typeof initial === 'bigint' ? 'bigint' : 'number' }, add);
}
