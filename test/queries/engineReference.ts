// What a standing query's result must be, computed the plain way: every record of the files it
// covers through its WHERE, then grouped and aggregated (or kept) in one go, with no sharing, no
// partitions, no partials. The engine's results are checked against it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQuery, type Cond, type Operand } from '@gleam/queries';

export type Rec = Record<string, unknown>;

/** Deterministic event records: nested user.lang (sometimes missing), ints, strings, some null statuses. */
export function makeRecords(count: number, seed: number): Rec[] {
  let s = seed >>> 0 || 1;
  const rnd = (n: number): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const langs = ['en', 'fr', 'de', 'es'];
  const statuses = ['ok', 'ok', 'ok', 'warn', 'error', null];
  const words = ['alpha', 'beta', 'gamma', 'alto', 'delta'];
  const msgs = ['all good', 'timeout after 30s', 'disk 3 full', 'retry', 'connection timeout', 'disk full'];
  const out: Rec[] = [];
  for (let i = 0; i < count; i++) {
    const r: Rec = { id: seed * 100000 + i, n: rnd(100), price: 1 + rnd(1000), name: `${words[rnd(words.length)]}-${rnd(50)}`, status: statuses[rnd(statuses.length)], msg: msgs[rnd(msgs.length)] };
    const l = rnd(5);
    if (l < 4) r.user = { lang: langs[l], age: 18 + rnd(60) };
    out.push(r);
  }
  return out;
}

/** Writes records as JSON lines under a temporary name and renames it in (files appear whole). */
export function dropFile(dir: string, name: string, recs: Rec[]): void {
  const tmp = path.join(dir, `.${name}.tmp`);
  fs.writeFileSync(tmp, recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  fs.renameSync(tmp, path.join(dir, name));
}

function get(r: Rec, p: string): unknown {
  let v: unknown = r;
  for (const k of p.split('.')) v = v !== null && typeof v === 'object' ? (v as Rec)[k] : undefined;
  return v === undefined ? null : v;
}

function val(r: Rec, o: Operand): unknown {
  return o.kind === 'field' ? get(r, o.path) : o.value;
}

function cmp(a: unknown, b: unknown): number | undefined {
  if (a === null || b === null || typeof a !== typeof b) return undefined;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function test(r: Rec, c: Cond): boolean {
  switch (c.kind) {
    case 'and':
      return c.args.every((a) => test(r, a));
    case 'or':
      return c.args.some((a) => test(r, a));
    case 'not':
      return !test(r, c.arg);
    case 'isNull':
      return val(r, c.operand) === null;
    case 'in':
      return c.values.some((v) => v !== null && v === val(r, c.operand));
    case 'contains': {
      const v = val(r, c.operand);
      return v !== null && String(v).includes(c.text);
    }
    case 'like': {
      const v = val(r, c.operand);
      const re = new RegExp('^' + c.pattern.split('').map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&'))).join('') + '$', 's');
      return v !== null && re.test(String(v));
    }
    case 'matches': {
      const v = val(r, c.operand);
      return v !== null && new RegExp(c.regex, 'u').test(String(v));
    }
    case 'cmp': {
      const x = cmp(val(r, c.left), val(r, c.right));
      if (x === undefined) return false;
      return { '=': x === 0, '!=': x !== 0, '<': x < 0, '<=': x <= 0, '>': x > 0, '>=': x >= 0 }[c.op];
    }
  }
}

function order(a: unknown, b: unknown): number {
  const rank = (v: unknown): number => (v === null ? 0 : typeof v === 'number' ? 2 : 3);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** The result rows of `text` over `recs` (in arrival order). */
export function reference(text: string, recs: Rec[]): unknown[][] {
  const q = parseQuery(text);
  const rows = q.where ? recs.filter((r) => test(r, q.where!)) : recs;
  const sortRows = (out: unknown[][]): unknown[][] =>
    q.order.length === 0
      ? out
      : out.slice().sort((a, b) => {
          for (const o of q.order) {
            const c = order(a[o.col], b[o.col]);
            if (c !== 0) return o.desc ? -c : c;
          }
          return 0;
        });
  if (!q.aggregate) {
    const projected = rows.map((r) => q.items.map((it) => (it.kind === 'field' ? get(r, it.path) : it.kind === 'literal' ? it.value : r)));
    const kept = q.order.length === 0 ? projected.slice(Math.max(0, projected.length - q.limit!)) : sortRows(projected).slice(0, q.limit);
    return kept.map((r) => r.slice(0, q.columns.length));
  }
  const groups = new Map<string, { key: unknown[]; rows: Rec[] }>();
  for (const r of rows) {
    const key = q.groupBy.map((g) => get(r, g));
    const k = JSON.stringify(key);
    if (!groups.has(k)) groups.set(k, { key, rows: [] });
    groups.get(k)!.rows.push(r);
  }
  if (groups.size === 0 && q.groupBy.length === 0) groups.set('[]', { key: [], rows: [] });
  let out = [...groups.values()]
    .sort((a, b) => {
      for (let i = 0; i < a.key.length; i++) {
        const c = order(a.key[i], b.key[i]);
        if (c !== 0) return c;
      }
      return 0;
    })
    .map((g) =>
      q.items.map((it) => {
        if (it.kind === 'field') return g.key[q.groupBy.indexOf(it.path)];
        if (it.kind === 'literal') return it.value;
        if (it.kind !== 'agg') return null;
        const vals = it.arg ? g.rows.map((r) => get(r, it.arg!.path)).filter((v) => v !== null) : g.rows;
        const nums = vals.filter((v): v is number => typeof v === 'number');
        switch (it.fn) {
          case 'count':
            return vals.length;
          case 'sum':
            return nums.length ? nums.reduce((a, b) => a + b, 0) : null;
          case 'avg':
            return nums.length ? nums.reduce((a, b) => a + b, 0) / nums.length : null;
          case 'min':
            return vals.length ? vals.reduce((a, b) => (order(b, a) < 0 ? b : a)) : null;
          case 'max':
            return vals.length ? vals.reduce((a, b) => (order(b, a) > 0 ? b : a)) : null;
        }
      }),
    );
  out = sortRows(out);
  return q.limit === undefined ? out : out.slice(0, q.limit);
}
