// The driver's side of an accumulator (flow.accumulator() is in accumulator.ts): the handle,
// which travels in params as its marker field, and what a job of the Flow does with the
// accumulators its UDFs use.
import { ACCUMULATOR_MARKER, describeRow, forEachAccumulatorMarker, GleamError, instructionUdfs, type AccumulatorMarker, type AccumulatorPartial, type TaskGroupSpec } from '@gleam/executor';
import type { FlowSession } from './flowSession';

const registries = new WeakMap<FlowSession, Map<number, Accumulator<any>>>();

/** Registers a new accumulator of the Flow (of its session). */
export function registerAccumulator<T>(session: FlowSession, make: (id: number) => Accumulator<T>): Accumulator<T> {
  const acc = make(++lastId);
  let reg = registries.get(session);
  if (!reg) registries.set(session, (reg = new Map()));
  reg.set(acc.id, acc);
  return acc;
}

let lastId = 0;

export class Accumulator<T = number> {
  /** What travels in params (its only own enumerable field). */
  readonly [ACCUMULATOR_MARKER]: AccumulatorMarker;
  #value: T;
  readonly #merge: (a: T, b: T) => T;

  /** @internal Use flow.accumulator(). */
  constructor(initial: T, marker: AccumulatorMarker, merge: (a: T, b: T) => T) {
    this[ACCUMULATOR_MARKER] = marker;
    this.#value = initial;
    this.#merge = merge;
  }

  /** The initial value merged with the additions of every job of the Flow that succeeded (not those of a job still running). */
  get value(): T {
    return this.#value;
  }

  /** The accumulator's number in messages. */
  get id(): number {
    return this[ACCUMULATOR_MARKER].id;
  }

  /** Adds in the driver (UDFs add through params.acc.add). */
  add(x: T): void {
    const kind = this[ACCUMULATOR_MARKER].kind;
    if (kind !== 'merge' && typeof x !== kind) {
      throw new GleamError(`accumulator #${this.id} adds ${kind}s (made without a merge function), but add() got ${describeRow(x)}`);
    }
    this.#value = this.#merge(this.#value, x);
  }

  /** @internal A job's partial. */
  mergePartial(v: unknown): void {
    this.#value = this.#merge(this.#value, v as T);
  }
}

/**
 * What a job of the Flow does with accumulators: `check` refuses a plan whose UDFs use another
 * Flow's accumulator; `accumulate` merges a succeeded job's partials. Undefined when the Flow has none.
 */
export function jobAccumulators(session: FlowSession): { check(tasks: readonly TaskGroupSpec[]): void; accumulate(partials: AccumulatorPartial[]): void } {
  const reg = () => registries.get(session);
  return {
    check(tasks) {
      // Params objects are shared by the tasks of a step: each is walked once.
      const hasMarker = new Map<unknown, boolean>();
      for (const t of tasks) {
        for (const ins of t.instructions) {
          for (const [, { params }] of instructionUdfs(ins)) {
            let found = hasMarker.get(params);
            if (found === undefined) {
              found = false;
              forEachAccumulatorMarker(params, (m) => {
                if (!reg()?.has(m.id)) throw new GleamError(`step "${ins.step}": accumulator #${m.id} in its params was made by another Flow; make it with this Flow's accumulator()`, ins.step);
                found = true;
              });
              hasMarker.set(params, found);
            }
            // Only tasks that use an accumulator look for markers in their params.
            if (found) t.accumulators = true;
          }
        }
      }
    },
    accumulate(partials) {
      for (const p of partials) reg()?.get(p.id)?.mergePartial(p.value);
    },
  };
}
