// The shared plan of one batch, built from the queries registered when the batch starts: every
// distinct field path is read once per row, every distinct predicate (by canonical text) is
// evaluated once per row, every distinct WHERE is combined once per row from those predicates,
// and queries with the same WHERE and GROUP BY fill one group table (the union of their
// aggregates). Queries without aggregates with the same WHERE, columns, order and limit share
// one row buffer.
import type { AggFn, Cond, ItemExpr } from '../sql/ast';
import { condText, itemText } from '../sql/normalize';
import type { CheckedQuery } from '../sql/parse';
import type { InputFormat } from './types';

export interface AggSpec {
  fn: AggFn;
  /** Field index, or -1 for count(*). */
  field: number;
  text: string;
}

/** Queries with the same WHERE and GROUP BY: one group table per batch. */
export interface ShapeSpec {
  filter: number;
  group: number[];
  aggs: AggSpec[];
}

/** A projection column: a field (index), a literal, or the whole record (`*`). */
export type ProjItem = { field: number } | { literal: unknown } | { star: true };

/** Queries without aggregates: the kept rows of a batch (latest, or first by ORDER BY). */
export interface ProjectionSpec {
  filter: number;
  items: ProjItem[];
  limit: number;
  order: { col: number; desc: boolean }[];
}

export interface BatchPlan {
  format: InputFormat;
  fields: string[];
  /** Atomic predicates, each evaluated once per row. */
  predicates: Cond[];
  predicateTexts: string[];
  /** Distinct WHERE conditions (normalized). */
  filters: Cond[];
  shapes: ShapeSpec[];
  projections: ProjectionSpec[];
  /** Query id -> its group table or row buffer. */
  queries: Map<string, { shape: number } | { projection: number }>;
}

export function buildPlan(format: InputFormat, queries: { id: string; q: CheckedQuery }[]): BatchPlan {
  const fields: string[] = [];
  const field = (path: string): number => {
    let i = fields.indexOf(path);
    if (i < 0) i = fields.push(path) - 1;
    return i;
  };
  const predicateTexts: string[] = [];
  const predicates: Cond[] = [];
  const filterTexts: string[] = [];
  const filters: Cond[] = [];
  const shapeKeys: string[] = [];
  const shapes: ShapeSpec[] = [];
  const projKeys: string[] = [];
  const projections: ProjectionSpec[] = [];
  const plan: BatchPlan = { format, fields, predicates, predicateTexts, filters, shapes, projections, queries: new Map() };

  const useOperand = (c: Cond): void => {
    const ops = c.kind === 'cmp' ? [c.left, c.right] : 'operand' in c ? [c.operand] : [];
    for (const o of ops) if (o.kind === 'field') field(o.path);
  };
  const addFilter = (q: CheckedQuery): number => {
    if (!q.where || !q.whereText) return -1;
    let i = filterTexts.indexOf(q.whereText);
    if (i >= 0) return i;
    for (const text of q.predicates) {
      if (predicateTexts.includes(text)) continue;
      predicateTexts.push(text);
      const leaf = findLeaf(q.where, text)!;
      predicates.push(leaf);
      useOperand(leaf);
    }
    filterTexts.push(q.whereText);
    i = filters.push(q.where) - 1;
    return i;
  };

  for (const { id, q } of queries) {
    const filter = addFilter(q);
    if (q.aggregate) {
      const key = `${q.whereText ?? ''}\u0000${q.groupBy.join('\u0000')}`;
      let s = shapeKeys.indexOf(key);
      if (s < 0) {
        s = shapeKeys.push(key) - 1;
        shapes.push({ filter, group: q.groupBy.map(field), aggs: [] });
      }
      const shape = shapes[s];
      for (const a of q.aggs) {
        if (!shape.aggs.some((x) => x.text === a.text)) shape.aggs.push({ fn: a.fn, field: a.arg === null ? -1 : field(a.arg), text: a.text });
      }
      plan.queries.set(id, { shape: s });
    } else {
      const items = q.items.map((e) => projItem(e, field));
      const key = JSON.stringify([q.whereText ?? '', q.items.map(itemText), q.order, q.limit]);
      let p = projKeys.indexOf(key);
      if (p < 0) {
        p = projKeys.push(key) - 1;
        projections.push({ filter, items, limit: q.limit ?? 0, order: q.order });
      }
      plan.queries.set(id, { projection: p });
    }
  }
  return plan;
}

function projItem(e: ItemExpr, field: (path: string) => number): ProjItem {
  if (e.kind === 'field') return { field: field(e.path) };
  if (e.kind === 'literal') return { literal: e.value };
  if (e.kind === 'star') return { star: true };
  throw new Error(`internal: aggregate ${itemText(e)} in a query without aggregates`);
}

function findLeaf(c: Cond, text: string): Cond | undefined {
  if (c.kind === 'and' || c.kind === 'or') {
    for (const a of c.args) {
      const f = findLeaf(a, text);
      if (f) return f;
    }
    return undefined;
  }
  if (c.kind === 'not') return findLeaf(c.arg, text);
  return condText(c) === text ? c : undefined;
}
