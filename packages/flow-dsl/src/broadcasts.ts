// flow.broadcast(value): a read-only value for UDFs, shipped once per executor per job instead of
// inside every task spec. The handle is a plain object `{ __gleamBroadcast: id }` (what params
// carry to the executors); the value and its Flow ride along as non-enumerable properties, which
// neither structured cloning nor msgpack copies. At each job the plan gets one driver-side source
// shard per broadcast its UDFs use, and each task the list of those shards (TaskGroupSpec
// .broadcasts); executors swap the markers for the value (executor udf/broadcasts.ts).
import { BROADCAST_MARKER, broadcastIdOf, broadcastRows, GleamError, instructionUdfs, type BroadcastSet } from '@gleam/executor';
import type { PhysicalPlan } from '@gleam/driver';
import { checkParams } from './params';

/** What flow.broadcast returns: pass it in `params`; inside the UDF, `params.b` is the value itself. */
export interface Broadcast<T> {
  readonly [BROADCAST_MARKER]: number;
  /** The value, in the driver (Spark's `b.value`). */
  readonly value: T;
}

interface Handle {
  [BROADCAST_MARKER]: number;
  value: unknown;
  owner: object;
  flowName: string;
}

let lastId = 0;

/** The plan's name of the shard holding a broadcast's value (job-prefixed at run time). */
const shardOf = (id: number): string => `bc${id}`;

/** A new broadcast of `owner` (a Flow's session); the value is checked like params. */
export function makeBroadcast<T>(value: T, owner: object, flowName: string): Broadcast<T> {
  const id = lastId + 1;
  checkParams(value, `broadcast#${id}`, 'the broadcast value');
  lastId = id;
  const h = { [BROADCAST_MARKER]: id };
  Object.defineProperty(h, 'value', { value, enumerable: false });
  Object.defineProperty(h, 'owner', { value: owner, enumerable: false });
  Object.defineProperty(h, 'flowName', { value: flowName, enumerable: false });
  return Object.freeze(h) as unknown as Broadcast<T>;
}

/**
 * Gives every task whose UDF params hold broadcast handles the shards of their values, and the
 * plan one driver-side source per broadcast used. Refuses a handle of another Flow.
 */
export function attachBroadcasts(plan: PhysicalPlan, owner: object): void {
  const seen = new WeakMap<object, { handle: Handle; path: string }[]>();
  const used = new Set<number>();
  // One BroadcastSet (and shards array) per combination of broadcasts, shared by its tasks.
  const sets = new Map<string, BroadcastSet>();
  for (const t of plan.taskGroups) {
    const ids = new Set<number>();
    for (const ins of t.instructions) {
      for (const [, u] of instructionUdfs(ins)) {
        const params = u.params as object;
        let found = seen.get(params);
        if (!found) seen.set(params, (found = handlesIn(params, 'params', [])));
        for (const { handle: h, path } of found) {
          const id = h[BROADCAST_MARKER];
          if (h.owner !== owner) {
            const of = h.owner ? `of another Flow ("${h.flowName}")` : 'marker that is no broadcast handle';
            throw new GleamError(`step "${ins.step}": ${path} is a broadcast ${of}; broadcast the value with this Flow's broadcast()`, ins.step);
          }
          if (!used.has(id)) {
            used.add(id);
            plan.sources.push({ step: `broadcast#${id}`, shards: [shardOf(id)], produce: () => [broadcastRows(h.value)] });
          }
          ids.add(id);
        }
      }
    }
    if (ids.size === 0) continue;
    const key = [...ids].join(',');
    let set = sets.get(key);
    if (!set) sets.set(key, (set = { ids: [...ids], shards: [...ids].map(shardOf) }));
    t.broadcasts = set;
  }
}

function handlesIn(v: unknown, path: string, out: { handle: Handle; path: string }[]): { handle: Handle; path: string }[] {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof Date) return out;
  if (broadcastIdOf(v) !== undefined) {
    out.push({ handle: v as Handle, path });
    return out;
  }
  if (Array.isArray(v)) v.forEach((x, i) => handlesIn(x, `${path}[${i}]`, out));
  else if (!(v instanceof Set) && !(v instanceof Map)) for (const k of Object.keys(v)) handlesIn((v as Record<string, unknown>)[k], `${path}.${k}`, out);
  return out;
}
