// What an accumulator is on the wire: a handle's marker field and a task's partial (accumulators.ts).
import { decodeValue, encodeValue } from '../codec/valueCodec';

export const ACCUMULATOR_MARKER = '__gleamAccumulator';

/** How a task's additions combine: numbers or bigints add up; 'merge' calls the merge source. */
export interface AccumulatorMarker {
  id: number;
  kind: 'number' | 'bigint' | 'merge';
  /** Source of merge(a, b) for kind 'merge'. */
  merge?: string;
}

/** One task's additions to one accumulator. */
export interface AccumulatorPartial {
  id: number;
  value: unknown;
}

/** The marker an object carries (the driver's handle, or its copy in a task's params), if any. */
export function accumulatorMarker(v: unknown): AccumulatorMarker | undefined {
  if (typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, ACCUMULATOR_MARKER)) return undefined;
  const m = (v as Record<string, unknown>)[ACCUMULATOR_MARKER] as AccumulatorMarker | undefined;
  return m !== null && typeof m === 'object' && typeof m.id === 'number' ? m : undefined;
}


/** TaskDone's accumulators field (proto): the partials as msgpack, empty when none. */
export function encodePartials(partials: AccumulatorPartial[] | undefined): Uint8Array {
  return partials?.length ? encodeValue(partials) : new Uint8Array(0);
}

/** The partials of a TaskDone's accumulators field, or undefined when empty. */
export function decodePartials(bytes: Uint8Array | undefined): AccumulatorPartial[] | undefined {
  return bytes?.length ? decodeValue<AccumulatorPartial[]>(bytes) : undefined;
}
