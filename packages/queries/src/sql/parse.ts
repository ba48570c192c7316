// Text -> checked query. The grammar (peggy) reports where the text stops making sense; the
// checks here report what parses but cannot run (a field selected next to aggregates without
// being grouped, an ORDER BY that names no column). Both throw QuerySyntaxError with a 0-based
// position into the text.
import * as peggy from 'peggy';
import { QuerySyntaxError } from '../engine/types';
import type { AggFn, Cond, ItemExpr, QueryAst } from './ast';
import { grammar } from './grammar';
import { condText, itemText, leavesOf, normalizeCond } from './normalize';

const parser = peggy.generate(grammar);

/** A query ready for planning: its columns, its canonical WHERE, grouping and aggregates. */
export interface CheckedQuery {
  text: string;
  ast: QueryAst;
  /** Has aggregates or GROUP BY: rows are groups. */
  aggregate: boolean;
  columns: string[];
  /** The select list; without aggregates, then the fields ORDER BY needs that it does not select. */
  items: ItemExpr[];
  /** Normalized WHERE, and its canonical text (the key that queries share a filter by). */
  where?: Cond;
  whereText?: string;
  /** Canonical texts of the atomic predicates of the WHERE. */
  predicates: string[];
  groupBy: string[];
  /** The distinct aggregates of the query (select list), by canonical text. */
  aggs: { fn: AggFn; arg: string | null; text: string }[];
  /** ORDER BY as column indexes. */
  order: { col: number; desc: boolean }[];
  /** Rows shown (and, without aggregates, rows kept); undefined: all groups. */
  limit?: number;
  window?: { n: number; unit: 'batches' | 'seconds' };
}

export const DEFAULT_ROW_LIMIT = 100;

export function parseQuery(text: string): CheckedQuery {
  if (typeof text !== 'string' || text.trim() === '') throw new QuerySyntaxError('empty query: expected SELECT ...', 0);
  let ast: QueryAst;
  try {
    ast = parser.parse(text) as QueryAst;
  } catch (e) {
    const err = e as { message?: string; location?: { start: { offset: number } } };
    if (err.location) throw new QuerySyntaxError(explain(err.message ?? String(e), text, err.location.start.offset), err.location.start.offset);
    throw e;
  }
  return check(text, ast);
}

const CLAUSES = /^(select|from|where|group|order|limit|window)$/i;

/** peggy names only the first character found: name the whole word, and the clause order if a clause came too late. */
function explain(message: string, text: string, position: number): string {
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(position))?.[0];
  if (!word || !/but ".+" found\.$/.test(message)) return message;
  const out = message.replace(/but ".+" found\.$/, `but "${word}" found.`);
  return CLAUSES.test(word) ? `${out} The clauses go in this order: SELECT, FROM, WHERE, GROUP BY, ORDER BY, LIMIT, WINDOW.` : out;
}

function check(text: string, ast: QueryAst): CheckedQuery {
  const items = ast.items.map((i) => i.expr);
  const hasAgg = items.some((e) => e.kind === 'agg');
  const aggregate = hasAgg || ast.groupBy.length > 0;
  const groupBy = ast.groupBy.map((g) => g.path);
  const columns = ast.items.map((i) => i.alias ?? itemText(i.expr));
  if (aggregate) {
    for (const e of items) {
      if (e.kind === 'star') throw new QuerySyntaxError('SELECT *: * cannot be selected with aggregates or GROUP BY', e.pos);
      if (e.kind === 'field' && !groupBy.includes(e.path)) {
        throw new QuerySyntaxError(`field ${e.path} is selected with aggregates but is not in GROUP BY`, e.pos);
      }
    }
  }
  const aggs = new Map<string, { fn: AggFn; arg: string | null; text: string }>();
  for (const e of items) if (e.kind === 'agg') aggs.set(itemText(e), { fn: e.fn, arg: e.arg?.path ?? null, text: itemText(e) });
  const order = ast.orderBy.map((o) => ({ col: orderColumn(ast, columns, o.expr, aggregate ? undefined : items), desc: o.desc }));
  if (ast.limit && !Number.isSafeInteger(ast.limit.n)) throw new QuerySyntaxError('LIMIT: too large', ast.limit.pos);
  if (ast.window && !(ast.window.n >= 1 && Number.isSafeInteger(ast.window.n))) throw new QuerySyntaxError('WINDOW: the size must be at least 1', ast.window.pos);
  const where = ast.where ? normalizeCond(ast.where) : undefined;
  return {
    text,
    ast,
    aggregate,
    columns,
    items,
    where,
    whereText: where ? condText(where) : undefined,
    predicates: where ? [...leavesOf(where).keys()] : [],
    groupBy,
    aggs: [...aggs.values()],
    order,
    limit: ast.limit?.n ?? (aggregate ? undefined : DEFAULT_ROW_LIMIT),
    window: ast.window ? { n: ast.window.n, unit: ast.window.unit } : undefined,
  };
}

/**
 * ORDER BY names a column: by alias, by what it selects, or by its 1-based number. Without
 * aggregates it may name any field: `hidden` (the item list) gets it as a column not shown.
 */
function orderColumn(ast: QueryAst, columns: string[], e: ItemExpr, hidden?: ItemExpr[]): number {
  if (e.kind === 'literal') {
    const n = e.value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= columns.length) return n - 1;
    throw new QuerySyntaxError(`ORDER BY ${itemText(e)}: a column number is 1 to ${columns.length}`, e.pos);
  }
  if (e.kind === 'field') {
    const byAlias = ast.items.findIndex((i) => i.alias === e.path);
    if (byAlias >= 0) return byAlias;
  }
  const want = itemText(e);
  const byExpr = ast.items.findIndex((i) => i.expr.kind !== 'star' && itemText(i.expr) === want);
  if (byExpr >= 0) return byExpr;
  if (hidden && e.kind === 'field') {
    const known = hidden.findIndex((h, i) => i >= columns.length && h.kind === 'field' && h.path === e.path);
    if (known >= 0) return known;
    hidden.push(e);
    return hidden.length - 1;
  }
  throw new QuerySyntaxError(`ORDER BY ${want}: not a column of the SELECT list (select it, or order by its alias)`, e.pos);
}
