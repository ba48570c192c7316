// One registered query and its state: merged per-batch partials (cumulative, or a ring of
// per-batch parts for WINDOW n BATCHES / n SECONDS), and how that state becomes its result.
// The state is held in the query's own layout (its aggregates in its select-list order), not in
// the shared group table's, which changes as other queries come and go.
import type { CheckedQuery } from '../sql/parse';
import { aggSlots } from './kernel';
import type { ProjectionSpec, ShapeSpec } from './plan';
import type { QueryResult } from './types';
import { compareValues } from './values';

/** Group key text -> [keyValues, ...slots of the query's aggregates]. */
export type GroupTable = Map<string, unknown[]>;

interface Part {
  timeMs: number;
  groups?: GroupTable;
  rows?: unknown[][];
}

/** What a checkpoint holds of a query. */
export interface SavedQuery {
  id: string;
  text: string;
  addedAt: string;
  updatedAt: string;
  batches: number;
  /** Cumulative state, or the window's parts, oldest first. */
  parts: { timeMs: number; groups?: [string, unknown[]][]; rows?: unknown[][] }[];
}

export class StandingQuery {
  batches = 0;
  updatedAt: string;
  /** Without a window: one part, the running total; with one: a part per batch in the window. */
  private parts: Part[] = [];
  private cached: QueryResult | undefined;

  constructor(
    readonly id: string,
    readonly q: CheckedQuery,
    readonly addedAt: string,
  ) {
    this.updatedAt = addedAt;
  }

  static restore(saved: SavedQuery, q: CheckedQuery): StandingQuery {
    const s = new StandingQuery(saved.id, q, saved.addedAt);
    s.batches = saved.batches;
    s.updatedAt = saved.updatedAt;
    s.parts = saved.parts.map((p) => ({ timeMs: p.timeMs, groups: p.groups ? new Map(p.groups) : undefined, rows: p.rows }));
    return s;
  }

  save(): SavedQuery {
    return {
      id: this.id,
      text: this.q.text,
      addedAt: this.addedAt,
      updatedAt: this.updatedAt,
      batches: this.batches,
      parts: this.parts.map((p) => ({ timeMs: p.timeMs, groups: p.groups ? [...p.groups] : undefined, rows: p.rows })),
    };
  }

  /** A batch's group entries (from every partition) for the shared table this query reads. */
  addGroups(timeMs: number, shape: ShapeSpec, partitions: unknown[][][]): void {
    const table: GroupTable = new Map();
    // Where each of the query's aggregates sits in the shared table's entries.
    const from = this.q.aggs.map((a) => {
      let slot = 1;
      for (const s of shape.aggs) {
        if (s.text === a.text) return slot;
        slot += aggSlots(s.fn);
      }
      throw new Error(`internal: aggregate ${a.text} missing from the batch plan`);
    });
    for (const entries of partitions) {
      for (const e of entries) {
        const slots: unknown[] = [e[0]];
        this.q.aggs.forEach((a, i) => {
          for (let k = 0; k < aggSlots(a.fn); k++) slots.push(e[from[i] + k]);
        });
        mergeEntry(table, slots, this.q.aggs);
      }
    }
    this.addPart({ timeMs, groups: table });
  }

  /** A batch's kept rows (from every partition, in order) for the row buffer this query reads. */
  addRows(timeMs: number, spec: ProjectionSpec, partitions: unknown[][][]): void {
    this.addPart({ timeMs, rows: keepRows(partitions.flat(), spec.limit, spec.order) });
  }

  private addPart(part: Part): void {
    this.batches++;
    this.updatedAt = new Date(part.timeMs).toISOString();
    this.cached = undefined;
    const w = this.q.window;
    if (!w) {
      const prev = this.parts[0];
      if (!prev) this.parts = [part];
      else if (part.groups) {
        for (const e of part.groups.values()) mergeEntry(prev.groups!, e, this.q.aggs);
        prev.timeMs = part.timeMs;
      } else {
        prev.rows = keepRows([...prev.rows!, ...part.rows!], this.q.limit ?? 0, this.q.order);
        prev.timeMs = part.timeMs;
      }
      return;
    }
    this.parts.push(part);
    if (w.unit === 'batches' && this.parts.length > w.n) this.parts.splice(0, this.parts.length - w.n);
  }

  /** Drops the parts a WINDOW n SECONDS no longer covers at `nowMs`; true if any went. */
  expire(nowMs: number): boolean {
    const w = this.q.window;
    if (!w || w.unit !== 'seconds') return false;
    const keep = this.parts.filter((p) => p.timeMs > nowMs - w.n * 1000);
    if (keep.length === this.parts.length) return false;
    this.parts = keep;
    this.cached = undefined;
    this.updatedAt = new Date(nowMs).toISOString();
    return true;
  }

  result(): QueryResult {
    this.cached ??= { id: this.id, text: this.q.text, columns: this.q.columns, rows: this.rows(), updatedAt: this.updatedAt, batches: this.batches };
    return this.cached;
  }

  private rows(): unknown[][] {
    const q = this.q;
    const shown = q.columns.length;
    if (!q.aggregate) {
      const all: unknown[][] = [];
      for (const p of this.parts) for (const r of p.rows!) all.push(r);
      return keepRows(all, q.limit ?? 0, q.order).map((r) => (r.length > shown ? r.slice(0, shown) : r));
    }
    let table: GroupTable;
    if (this.parts.length === 1) table = this.parts[0].groups!;
    else {
      table = new Map();
      for (const p of this.parts) for (const e of p.groups!.values()) mergeEntry(table, e, q.aggs);
    }
    let entries = [...table.values()];
    // Without GROUP BY there is one group, also before any row matched (count 0, sum null).
    if (entries.length === 0 && q.groupBy.length === 0) entries = [[[], ...q.aggs.flatMap((a) => emptySlots(a.fn))]];
    const slotOf = new Map<string, number>();
    let slot = 1;
    for (const a of q.aggs) {
      slotOf.set(a.text, slot);
      slot += aggSlots(a.fn);
    }
    let rows = entries.map((e) => {
      const keys = e[0] as unknown[];
      return q.items.map((it) => {
        if (it.kind === 'field') return keys[q.groupBy.indexOf(it.path)];
        if (it.kind === 'literal') return it.value;
        if (it.kind === 'agg') {
          const text = q.aggs.find((a) => a.fn === it.fn && a.arg === (it.arg?.path ?? null))!.text;
          return finalAgg(it.fn, e, slotOf.get(text)!);
        }
        return null;
      });
    });
    const keyOrder = (a: unknown[], b: unknown[]): number => compareKeys(a, b);
    if (q.order.length > 0) rows = keepRows(rows, rows.length, q.order);
    else {
      const byKey = entries.map((e, i) => [e[0] as unknown[], rows[i]] as const).sort((x, y) => keyOrder(x[0], y[0]));
      rows = byKey.map((x) => x[1]);
    }
    return q.limit === undefined ? rows : rows.slice(0, q.limit);
  }
}

function compareKeys(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function emptySlots(fn: string): unknown[] {
  return fn === 'sum' || fn === 'avg' ? [0, 0] : fn === 'count' ? [0] : [null];
}

function finalAgg(fn: string, e: unknown[], slot: number): unknown {
  if (fn === 'count' || fn === 'min' || fn === 'max') return e[slot];
  const n = e[slot + 1] as number;
  if (n === 0) return null;
  return fn === 'sum' ? e[slot] : (e[slot] as number) / n;
}

/** Adds an entry [keyValues, ...slots] into a table (slots in the layout of `aggs`). */
export function mergeEntry(table: GroupTable, e: unknown[], aggs: CheckedQuery['aggs']): void {
  const key = JSON.stringify(e[0]);
  const have = table.get(key);
  if (!have) {
    table.set(key, e.slice());
    return;
  }
  let slot = 1;
  for (const a of aggs) {
    switch (a.fn) {
      case 'count':
        (have[slot] as number) += e[slot] as number;
        break;
      case 'sum':
      case 'avg':
        (have[slot] as number) += e[slot] as number;
        (have[slot + 1] as number) += e[slot + 1] as number;
        break;
      case 'min':
      case 'max': {
        const v = e[slot];
        if (v !== null && (have[slot] === null || compareValues(v, have[slot]) * (a.fn === 'min' ? 1 : -1) < 0)) have[slot] = v;
        break;
      }
    }
    slot += aggSlots(a.fn);
  }
}

/** The rows a query keeps: the first `limit` by ORDER BY (stable), or the latest `limit`. */
export function keepRows(rows: unknown[][], limit: number, order: { col: number; desc: boolean }[]): unknown[][] {
  if (order.length === 0) return rows.length > limit ? rows.slice(rows.length - limit) : rows;
  const sorted = rows.slice().sort((a, b) => {
    for (const o of order) {
      const c = compareValues(a[o.col], b[o.col]);
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  });
  return sorted.length > limit ? sorted.slice(0, limit) : sorted;
}
