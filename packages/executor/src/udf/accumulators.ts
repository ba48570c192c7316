// Accumulators inside tasks. The driver's handle travels in a UDF's params as a marker,
// `{ __gleamAccumulator: { id, kind, merge? } }` (its only own enumerable field, so structured
// clone and msgpack carry just that); a task replaces each marker with a local accumulator whose
// add() folds values into one partial per accumulator, and reports the partials with its stats.
// Only the partials of the attempt whose output the job keeps are merged in the driver (JobRun).
import { GleamError } from '../errors';
import { findUncarryable } from '../codec/carryable';
import { decodeValue, encodeValue } from '../codec/valueCodec';
import type { InstructionSpec } from '../plan/taskSpec';
import { accumulatorMarker, type AccumulatorMarker, type AccumulatorPartial } from './accumulatorMarker';
import { compileUdf, type Udf } from './compileUdf';
import { replaceParamMarkers } from './paramMarkers';

/** Calls `fn` for every accumulator marker under `v` (arrays and plain objects are walked). */
export function forEachAccumulatorMarker(v: unknown, fn: (m: AccumulatorMarker) => void, seen = new Set<object>()): void {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || seen.has(v)) return;
  seen.add(v);
  const m = accumulatorMarker(v);
  if (m) return fn(m);
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' && v[i] !== null) forEachAccumulatorMarker(v[i], fn, seen);
  }
  else if (Object.getPrototypeOf(v) === Object.prototype) for (const k in v) forEachAccumulatorMarker((v as Record<string, unknown>)[k], fn, seen);
}

/** What a UDF sees as `params.acc`: add() folds into this task's partial. */
export class LocalAccumulator {
  private v: unknown;
  private has = false;
  private readonly mergeFn: Udf | undefined;

  constructor(private readonly m: AccumulatorMarker) {
    if (m.kind === 'merge') this.mergeFn = compileUdf({ source: m.merge ?? '' }, `accumulator #${m.id} merge`);
    else this.v = m.kind === 'bigint' ? 0n : 0;
  }

  add(x: unknown): void {
    const kind = this.m.kind;
    if (kind === 'number') {
      if (typeof x !== 'number') throw wrongType(this.m, x);
      this.v = (this.v as number) + x;
    } else if (kind === 'bigint') {
      if (typeof x !== 'bigint') throw wrongType(this.m, x);
      this.v = (this.v as bigint) + x;
    } else if (!this.has) {
      // The task's own copy (through the codec the partial travels by): merge may update its
      // first argument without touching the caller's value.
      this.v = typeof x === 'object' && x !== null ? decodeValue(encodeValue(x)) : x;
      this.has = true;
    } else {
      this.v = this.mergeFn!(this.v, x);
    }
    this.has = true;
  }

  /** The task's partial, or undefined when nothing was added. */
  partial(): AccumulatorPartial | undefined {
    if (!this.has) return undefined;
    const bad = findUncarryable(this.v, `accumulator #${this.m.id}'s value`);
    if (bad) throw new GleamError(`${bad.path} ${bad.what}, which cannot travel back to the driver (${bad.becomes}); ${bad.fix}`);
    return { id: this.m.id, value: this.v };
  }
}

function wrongType(m: AccumulatorMarker, x: unknown): GleamError {
  const got = x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x;
  return new GleamError(`accumulator #${m.id} adds ${m.kind}s (made without a merge function), but add() got ${got}; make it with flow.accumulator(initial, { merge: (a, b) => ... }) for other values`);
}

/** A task's accumulators: binds markers in its instructions' params, then reports one partial per accumulator. */
export class TaskAccumulators {
  private readonly locals = new Map<number, LocalAccumulator>();

  /** The instructions with every marker in UDF params replaced by this task's local accumulator (copied, never changed in place). */
  bind(instructions: InstructionSpec[]): InstructionSpec[] {
    return replaceParamMarkers(instructions, (o) => {
      const m = accumulatorMarker(o);
      if (!m) return undefined;
      let local = this.locals.get(m.id);
      if (!local) this.locals.set(m.id, (local = new LocalAccumulator(m)));
      return local;
    });
  }

  /** `{ accumulators }` for the task's stats, or nothing when no accumulator was added to. */
  report(): { accumulators?: AccumulatorPartial[] } {
    if (this.locals.size === 0) return {};
    const out: AccumulatorPartial[] = [];
    for (const l of this.locals.values()) {
      const p = l.partial();
      if (p) out.push(p);
    }
    return out.length ? { accumulators: out } : {};
  }
}

