// Handles that travel in UDF params as small marker objects (broadcasts, accumulators) and are
// swapped for their task-side object before the UDFs compile. One walk for every kind: arrays and
// plain objects are looked into (params carry nothing else), the rest is left as it is, and a
// params value is copied only along the path to a replaced marker, never changed in place.
import type { InstructionSpec, UdfSpec } from '../plan/taskSpec';

/** The UDFs of an instruction that have params, with the field holding each. */
export function instructionUdfs(ins: InstructionSpec): ['udf' | 'create', UdfSpec][] {
  const out: ['udf' | 'create', UdfSpec][] = [];
  for (const k of ['udf', 'create'] as const) {
    const u = (ins as unknown as Record<string, UdfSpec | undefined>)[k];
    if (u && u.params !== null && typeof u.params === 'object') out.push([k, u]);
  }
  return out;
}

/**
 * `replace(obj, step)` returns what stands for a marker object, or undefined for any other
 * object (which is then looked into). Returns the instructions themselves when nothing changed.
 */
export function replaceParamMarkers(instructions: InstructionSpec[], replace: (obj: object, step: string) => unknown): InstructionSpec[] {
  let out: InstructionSpec[] | undefined;
  instructions.forEach((ins, i) => {
    let next = ins;
    for (const [k, u] of instructionUdfs(ins)) {
      const params = walk(u.params, (o) => replace(o, ins.step));
      if (params !== u.params) next = { ...next, [k]: { ...u, params } } as InstructionSpec;
    }
    if (next !== ins) (out ??= [...instructions])[i] = next;
  });
  return out ?? instructions;
}

function walk(v: unknown, replace: (obj: object) => unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  const r = replace(v);
  if (r !== undefined) return r;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    // Only objects are looked into: a long array of numbers costs a typeof each.
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'object' || x === null) continue;
      const y = walk(x, replace);
      if (y !== x) (copy ??= v.slice())[i] = y;
    }
    return copy ?? v;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  let copy: Record<string, unknown> | undefined;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    const y = walk(x, replace);
    if (y !== x) (copy ??= { ...(v as Record<string, unknown>) })[k] = y;
  }
  return copy ?? v;
}
