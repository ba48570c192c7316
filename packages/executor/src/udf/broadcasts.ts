// Broadcast values: a UDF's params hold a small marker `{ __gleamBroadcast: id }` instead of the
// value; the value travels once per job as a driver-side source shard (its msgpack bytes cut in
// chunks, one row [chunk] each). Before a task's UDFs compile, the markers are replaced by the
// value, read once per executor thread per job and shared by that thread's tasks.
import { replaceParamMarkers } from './paramMarkers';
import { decodeRows } from '../codec/rowCodec';
import { decodeValue, encodeValue } from '../codec/valueCodec';
import { GleamError } from '../errors';
import type { BroadcastSet, InstructionSpec } from '../plan/taskSpec';
import type { TaskIO } from '../task/taskIO';

export const BROADCAST_MARKER = '__gleamBroadcast';

/** Bytes per row of a broadcast shard: frames stay well under any transport's message limit. */
const CHUNK_BYTES = 1 << 20;

/** How long a thread keeps a value after its last task used it (the job has most likely ended). */
const IDLE_MS = 30_000;

/** The broadcast id of a marker, or undefined when `v` is not one. */
export function broadcastIdOf(v: unknown): number | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const id = (v as Record<string, unknown>)[BROADCAST_MARKER];
  return typeof id === 'number' ? id : undefined;
}

/** The rows of a broadcast shard: the value's bytes, cut in chunks. */
export function broadcastRows(value: unknown): unknown[][] {
  const bytes = encodeValue(value);
  const rows: unknown[][] = [];
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) rows.push([bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES))]);
  return rows;
}

interface Cached {
  key: string;
  value: Promise<unknown>;
  users: number;
  timer?: NodeJS.Timeout;
}

/** Per thread: qualified shard name (job-prefixed, so per job) -> the value. */
const cache = new Map<string, Cached>();
let fetches = 0;

/** Values this thread has read from broadcast shards (tests count them). */
export function broadcastFetches(): number {
  return fetches;
}

async function fetchValue(shard: string, io: TaskIO, signal: AbortSignal): Promise<unknown> {
  fetches++;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const frame of io.read([shard], signal)) {
    for (const r of decodeRows(frame)) {
      const c = r[0] as Uint8Array;
      chunks.push(c);
      size += c.length;
    }
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return decodeValue(all);
}

/**
 * The task's instructions with every broadcast marker in UDF params replaced by its value, and a
 * release function to call when the task ends (a value unused for a while is dropped).
 */
export async function resolveBroadcasts(set: BroadcastSet, instructions: InstructionSpec[], io: TaskIO, signal: AbortSignal): Promise<{ instructions: InstructionSpec[]; release: () => void }> {
  const values = new Map<number, unknown>();
  const held: Cached[] = [];
  const release = () => {
    for (const c of held.splice(0)) {
      if (--c.users > 0) continue;
      clearTimeout(c.timer);
      c.timer = setTimeout(() => cache.get(c.key) === c && c.users === 0 && cache.delete(c.key), IDLE_MS);
      c.timer.unref?.();
    }
  };
  try {
    for (let i = 0; i < set.ids.length; i++) {
      const shard = set.shards[i];
      let c = cache.get(shard);
      if (!c) {
        const entry: Cached = { key: shard, value: fetchValue(shard, io, signal), users: 0 };
        // A failed read (lost shard, cancelled task) is not kept: the next task reads again.
        entry.value.catch(() => cache.get(shard) === entry && cache.delete(shard));
        cache.set(shard, (c = entry));
      }
      clearTimeout(c.timer);
      c.users++;
      held.push(c);
      values.set(set.ids[i], await c.value);
    }
  } catch (e) {
    release();
    throw e;
  }
  const out = replaceParamMarkers(instructions, (o, step) => {
    const id = broadcastIdOf(o);
    if (id === undefined) return undefined;
    if (!values.has(id)) throw new GleamError(`step "${step}": params refer to broadcast #${id}, which this task was not given`, step);
    return values.get(id);
  });
  return { instructions: out, release };
}
