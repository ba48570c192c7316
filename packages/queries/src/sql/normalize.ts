// Canonical text of conditions and items, so that equal predicates written differently in
// different queries (`lang = 'en'` and `'en' = lang`, `x <> 1` and `x != 1`, `b AND a` and
// `a AND b`, any keyword case) are recognised as one and evaluated once per row.
import type { Cond, ItemExpr, Literal, Operand } from './ast';

export function literalText(v: Literal): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

/** A field path as written in canonical text: bare when it is a plain dotted name, else "quoted". */
export function fieldText(path: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path) ? path : `"${path.replace(/"/g, '""')}"`;
}

export function operandText(o: Operand): string {
  return o.kind === 'field' ? fieldText(o.path) : literalText(o.value);
}

export function itemText(e: ItemExpr): string {
  switch (e.kind) {
    case 'star':
      return '*';
    case 'field':
      return e.path;
    case 'literal':
      return literalText(e.value);
    case 'agg':
      return `${e.fn}(${e.arg ? fieldText(e.arg.path) : '*'})`;
  }
}

const FLIP = { '=': '=', '!=': '!=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

/**
 * The condition in canonical form: a literal compared with a field goes to the right, AND / OR
 * are flattened with their operands sorted and deduplicated, NOT NOT x is x. Same meaning.
 */
export function normalizeCond(c: Cond): Cond {
  switch (c.kind) {
    case 'cmp':
      if (c.left.kind === 'literal' && c.right.kind === 'field') return { ...c, op: FLIP[c.op], left: c.right, right: c.left };
      return c;
    case 'not': {
      const inner = normalizeCond(c.arg);
      return inner.kind === 'not' ? inner.arg : { ...c, arg: inner };
    }
    case 'and':
    case 'or': {
      const flat: Cond[] = [];
      for (const a of c.args) {
        const n = normalizeCond(a);
        if (n.kind === c.kind) flat.push(...n.args);
        else flat.push(n);
      }
      const byText = new Map<string, Cond>();
      for (const a of flat) byText.set(condText(a), a);
      const args = [...byText.keys()].sort().map((k) => byText.get(k)!);
      return args.length === 1 ? args[0] : { ...c, args };
    }
    default:
      return c;
  }
}

/** Canonical text of a (normalized) condition. */
export function condText(c: Cond): string {
  switch (c.kind) {
    case 'cmp':
      return `${operandText(c.left)} ${c.op} ${operandText(c.right)}`;
    case 'contains':
      return `${operandText(c.operand)} CONTAINS ${literalText(c.text)}`;
    case 'like':
      return `${operandText(c.operand)} LIKE ${literalText(c.pattern)}`;
    case 'matches':
      return `${operandText(c.operand)} MATCHES ${literalText(c.regex)}`;
    case 'in':
      return `${operandText(c.operand)} IN (${c.values.map(literalText).join(', ')})`;
    case 'isNull':
      return `${operandText(c.operand)} IS NULL`;
    case 'not':
      return `NOT (${condText(c.arg)})`;
    case 'and':
    case 'or':
      return c.args.map((a) => (a.kind === 'and' || a.kind === 'or' ? `(${condText(a)})` : condText(a))).join(c.kind === 'and' ? ' AND ' : ' OR ');
  }
}

/** The atomic predicates (comparisons, CONTAINS, LIKE, ...) of a condition, each once. */
export function leavesOf(c: Cond, out: Map<string, Cond> = new Map()): Map<string, Cond> {
  if (c.kind === 'and' || c.kind === 'or') for (const a of c.args) leavesOf(a, out);
  else if (c.kind === 'not') leavesOf(c.arg, out);
  else out.set(condText(c), c);
  return out;
}
