// The per-partition kernel of a batch's one job, generated as source text from the batch plan:
// one pass over the partition's lines parses each line once, reads each distinct field once,
// evaluates each distinct predicate once, combines each distinct WHERE once, and feeds every
// group table and row buffer of the plan. It returns one row per partition holding the partial
// results; the driver merges them. Generated (not interpreted) so the per-row path is plain
// straight-line code; it ships to executors as a UDF source string and sees only `params`.
import type { Cond, Operand } from '../sql/ast';
import { condText } from '../sql/normalize';
import type { BatchPlan, ProjectionSpec, ShapeSpec } from './plan';
import { asNumber, asText, compareValues, inKey, splitCsvLine, sqlCompare } from './values';

/** What one partition returns (the single field of its single row). */
export interface PartitionOutput {
  rows: number;
  bad: number;
  evals: number;
  /** Per shape: entries [keyValues, ...aggregate slots]. */
  g: unknown[][][];
  /** Per projection: kept rows. */
  p: unknown[][][];
}

/** The kernel's params: the CSV header of the files of this part of the batch. */
export interface KernelParams {
  header: string[] | null;
  headerLine: string | null;
}

/**
 * The UDF a batch's job runs: it compiles the kernel's source (in params) once per executor
 * thread and keeps it for the next batches, keyed by the source's hash. A UDF is compiled for
 * every task, and a kernel for many queries is a large function that V8 needs many rows to
 * optimize: compiled anew at every batch it would run cold every time (measured: 50 queries
 * ~3x slower on a 34k-row partition). The queries rarely change between batches, so the plan's
 * source, and its optimized code, stay the same.
 */
export const KERNEL_UDF = `function queryBatch(rows) {
  const cache = (globalThis.__gleamQueryKernels ??= new Map());
  let kernel = cache.get(params.key);
  if (kernel === undefined) {
    kernel = new Function('"use strict"; return (' + params.source + ');')();
    cache.set(params.key, kernel);
    // Keep the last few plans only (queries come and go).
    if (cache.size > 8) cache.delete(cache.keys().next().value);
  }
  return kernel(rows, params);
}`;

/** Slots an aggregate takes in a group entry: sum and avg keep [sum, count]. */
export function aggSlots(fn: string): number {
  return fn === 'sum' || fn === 'avg' ? 2 : 1;
}

const J = (v: unknown): string => JSON.stringify(v);

export function kernelSource(plan: BatchPlan): string {
  const pre: string[] = [];
  const body: string[] = [];
  const post: string[] = [];

  // ---- parse a line into fields ----
  if (plan.format === 'jsonl') {
    body.push(`const line = row[0];`, `if (line.length === 0 || line.trim() === '') continue;`);
    body.push(`let rec; try { rec = JSON.parse(line); } catch { bad++; continue; }`);
    body.push(`if (rec === null || typeof rec !== 'object') rec = {};`);
    plan.fields.forEach((path, i) => {
      const parts = path.split('.');
      body.push(`let f${i} = rec[${J(parts[0])}];`);
      for (const p of parts.slice(1)) body.push(`f${i} = f${i} !== null && typeof f${i} === 'object' ? f${i}[${J(p)}] : undefined;`);
      body.push(`if (f${i} === undefined) f${i} = null;`);
    });
  } else if (plan.format === 'csv') {
    pre.push(`const H = params.header; const HL = params.headerLine;`);
    pre.push(`const col = (name) => H ? H.indexOf(name) : (/^c[1-9][0-9]*$/.test(name) ? Number(name.slice(1)) - 1 : -1);`);
    plan.fields.forEach((path, i) => pre.push(`const c${i} = col(${J(path)});`));
    body.push(`let line = row[0];`, `if (line.endsWith('\\r')) line = line.slice(0, -1);`, `if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);`, `if (line === HL || line.trim() === '') continue;`);
    body.push(`const cols = splitCsvLine(line);`);
    plan.fields.forEach((_p, i) => body.push(`const f${i} = c${i} >= 0 && c${i} < cols.length ? cols[c${i}] : null;`));
  } else {
    body.push(`const line = row[0];`);
    plan.fields.forEach((path, i) => body.push(`const f${i} = ${path === 'line' ? 'line' : 'null'};`));
  }
  body.push(`n++;`);

  // ---- predicates, each once ----
  const operand = (o: Operand): string => (o.kind === 'field' ? `f${plan.fields.indexOf(o.path)}` : J(o.value));
  plan.predicates.forEach((c, i) => predicateCode(c, i, operand, pre, body));

  // ---- WHERE conditions, each once ----
  const leafVar = new Map(plan.predicateTexts.map((t, i) => [t, `l${i}`]));
  const combine = (c: Cond): string => {
    if (c.kind === 'and' || c.kind === 'or') return `(${c.args.map(combine).join(c.kind === 'and' ? ' && ' : ' || ')})`;
    if (c.kind === 'not') return `!${combine(c.arg)}`;
    return leafVar.get(condText(c))!;
  };
  plan.filters.forEach((c, i) => body.push(`const w${i} = ${combine(c)};`));
  const guard = (filter: number): string => (filter < 0 ? 'true' : `w${filter}`);

  // ---- group tables ----
  groupCode(plan, guard, pre, body, post);
  // ---- row buffers ----
  plan.projections.forEach((p, i) => projectionCode(p, i, guard(p.filter), recordExpr(plan.format), pre, body, post));

  const helpers = [sqlCompare, compareValues, asText, inKey, asNumber, splitCsvLine].map((f) => f.toString()).join('\n');
  return `function queryBatchKernel(rows, params) {
"use strict";
${helpers}
${pre.join('\n')}
let n = 0, bad = 0;
for (const row of rows) {
${body.join('\n')}
}
${post.join('\n')}
return [[{ rows: n, bad, evals: n * ${plan.predicates.length}, g: [${plan.shapes.map((_s, i) => `g${i}`).join(', ')}], p: [${plan.projections.map((_p, i) => `b${i}`).join(', ')}] }]];
}`;
}

function predicateCode(c: Cond, i: number, operand: (o: Operand) => string, pre: string[], body: string[]): void {
  switch (c.kind) {
    case 'cmp': {
      const a = operand(c.left);
      const b = operand(c.right);
      const lit = c.right.kind === 'literal' ? c.right.value : undefined;
      // A string literal that is no number equals only that exact string: a plain === test.
      if (typeof lit === 'string' && !(lit.trim() !== '' && Number(lit) === Number(lit)) && (c.op === '=' || c.op === '!=')) {
        body.push(c.op === '=' ? `const l${i} = ${a} === ${b};` : `const l${i} = typeof ${a} === 'string' && ${a} !== ${b};`);
        return;
      }
      body.push(`const t${i} = sqlCompare(${a}, ${b});`);
      const test = { '=': `t${i} === 0`, '!=': `t${i} !== 0 && t${i} === t${i}`, '<': `t${i} < 0`, '<=': `t${i} <= 0`, '>': `t${i} > 0`, '>=': `t${i} >= 0` }[c.op];
      body.push(`const l${i} = ${test};`);
      return;
    }
    case 'contains':
      body.push(`const s${i} = asText(${operand(c.operand)});`, `const l${i} = s${i} !== null && s${i}.includes(${J(c.text)});`);
      return;
    case 'like': {
      body.push(`const s${i} = asText(${operand(c.operand)});`);
      const p = c.pattern;
      const inner = p.slice(1, -1);
      const wild = (s: string): boolean => /[%_]/.test(s);
      let test: string;
      if (!wild(p)) test = `s${i} === ${J(p)}`;
      else if (p.endsWith('%') && !wild(p.slice(0, -1))) test = `s${i}.startsWith(${J(p.slice(0, -1))})`;
      else if (p.startsWith('%') && !wild(p.slice(1))) test = `s${i}.endsWith(${J(p.slice(1))})`;
      else if (p.length >= 2 && p.startsWith('%') && p.endsWith('%') && !wild(inner)) test = `s${i}.includes(${J(inner)})`;
      else {
        pre.push(`const re${i} = new RegExp(${J(likeRegex(p))}, 'u');`);
        test = `re${i}.test(s${i})`;
      }
      body.push(`const l${i} = s${i} !== null && ${test};`);
      return;
    }
    case 'matches':
      pre.push(`const re${i} = new RegExp(${J(c.regex)}, 'u');`);
      body.push(`const s${i} = asText(${operand(c.operand)});`, `const l${i} = s${i} !== null && re${i}.test(s${i});`);
      return;
    case 'in':
      pre.push(`const in${i} = new Set(${J(c.values.filter((v) => v !== null))}.map(inKey));`);
      body.push(`const v${i} = ${operand(c.operand)};`, `const l${i} = v${i} !== null && in${i}.has(inKey(v${i}));`);
      return;
    case 'isNull':
      body.push(`const l${i} = ${operand(c.operand)} === null;`);
      return;
    default:
      throw new Error(`internal: ${c.kind} is not an atomic predicate`);
  }
}

/** SQL LIKE as an anchored regular expression: % any run, _ any one character. */
export function likeRegex(p: string): string {
  let out = '^';
  for (const ch of p) {
    if (ch === '%') out += '[\\s\\S]*';
    else if (ch === '_') out += '[\\s\\S]';
    else out += ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }
  return out + '$';
}

/**
 * Group tables, by their GROUP BY: the tables that group alike (whatever their WHERE) share one
 * map from group key to an entry holding each table's slots, so a row costs one key and one
 * lookup per distinct GROUP BY, not per table. A table's slots appear once a row passed its WHERE
 * (a group no row of the table matched is not in its result).
 */
function groupCode(plan: BatchPlan, guard: (filter: number) => string, pre: string[], body: string[], post: string[]): void {
  const sets = new Map<string, number[]>();
  plan.shapes.forEach((s, i) => {
    const k = s.group.join(',');
    if (!sets.has(k)) sets.set(k, []);
    sets.get(k)!.push(i);
  });
  plan.shapes.forEach((_s, i) => post.push(`const g${i} = [];`));
  // Numbers that sum/avg add: converted once per row per field.
  const numeric = new Set<number>();
  for (const s of plan.shapes) for (const a of s.aggs) if ((a.fn === 'sum' || a.fn === 'avg') && a.field >= 0) numeric.add(a.field);
  for (const f of numeric) body.push(`const x${f} = asNumber(f${f});`);
  [...sets.values()].forEach((tables, gi) => {
    const group = plan.shapes[tables[0]].group;
    const keyVars = group.map((f) => `f${f}`);
    // A key field as a Map key: objects by their JSON text (a Map compares them by identity).
    const mapKey = (v: string): string => `(${v} !== null && typeof ${v} === 'object' ? 'o' + JSON.stringify(${v}) : ${v})`;
    pre.push(`const G${gi} = new Map();`);
    const guards = tables.map((t) => guard(plan.shapes[t].filter));
    body.push(`if (${guards.includes('true') ? 'true' : guards.join(' || ')}) {`);
    // Several key fields: nested Maps, one level per field (no key string built per row).
    let map = `G${gi}`;
    for (let d = 0; d < keyVars.length - 1; d++) {
      body.push(`let m${d} = ${map}.get(${mapKey(keyVars[d])});`, `if (m${d} === undefined) { m${d} = new Map(); ${map}.set(${mapKey(keyVars[d])}, m${d}); }`);
      map = `m${d}`;
    }
    const last = keyVars.length === 0 ? '0' : mapKey(keyVars[keyVars.length - 1]);
    body.push(`let e = ${map}.get(${last});`, `if (e === undefined) { e = [[${keyVars.join(', ')}]${', null'.repeat(tables.length)}]; ${map}.set(${last}, e); }`);
    tables.forEach((t, j) => {
      const { init, update } = aggCode(plan.shapes[t]);
      body.push(`if (${guards[j]}) {`, `let a = e[${j + 1}];`, `if (a === null) a = e[${j + 1}] = [e[0], ${init.join(', ')}];`, ...update, `}`);
    });
    body.push(`}`);
    const loops = keyVars.length <= 1 ? [`for (const e of G${gi}.values()) {`] : [`for (const m0 of G${gi}.values())`, ...keyVars.slice(1, -1).map((_v, d) => `for (const m${d + 1} of m${d}.values())`), `for (const e of m${keyVars.length - 2}.values()) {`];
    post.push(...loops, ...tables.map((t, j) => `if (e[${j + 1}] !== null) g${t}.push(e[${j + 1}]);`), `}`);
  });
}

/** A table's slots [keyValues, ...] at their first row, and how a row updates them (in `a`). */
function aggCode(s: ShapeSpec): { init: string[]; update: string[] } {
  const init: string[] = [];
  const update: string[] = [];
  let slot = 1;
  for (const agg of s.aggs) {
    const v = agg.field < 0 ? 'null' : `f${agg.field}`;
    switch (agg.fn) {
      case 'count':
        init.push('0');
        update.push(agg.field < 0 ? `a[${slot}]++;` : `if (${v} !== null) a[${slot}]++;`);
        break;
      case 'sum':
      case 'avg':
        init.push('0', '0');
        update.push(`if (x${agg.field} === x${agg.field}) { a[${slot}] += x${agg.field}; a[${slot + 1}]++; }`);
        break;
      case 'min':
      case 'max':
        init.push('null');
        update.push(`if (${v} !== null && (a[${slot}] === null || compareValues(${v}, a[${slot}]) ${agg.fn === 'min' ? '<' : '>'} 0)) a[${slot}] = ${v};`);
        break;
    }
    slot += aggSlots(agg.fn);
  }
  return { init, update };
}

/** `*`: the parsed JSON object; a CSV line's fields by header name (c1, c2... without one); { line }. */
function recordExpr(format: BatchPlan['format']): string {
  if (format === 'jsonl') return 'rec';
  if (format === 'csv') return `Object.fromEntries(H ? H.map((h, j) => [h, j < cols.length ? cols[j] : null]) : cols.map((v, j) => ['c' + (j + 1), v]))`;
  return '({ line })';
}

function projectionCode(p: ProjectionSpec, i: number, guard: string, record: string, pre: string[], body: string[], post: string[]): void {
  pre.push(`const b${i} = [];`);
  if (p.limit <= 0) return;
  const items = p.items.map((it) => ('field' in it ? `f${it.field}` : 'literal' in it ? J(it.literal) : record));
  const cap = Math.max(2 * p.limit, 64);
  let prune: string;
  if (p.order.length === 0) {
    prune = `b${i}.splice(0, b${i}.length - ${p.limit});`;
  } else {
    const cmp = p.order.map((o) => `c = compareValues(a[${o.col}], b[${o.col}]); if (c !== 0) return ${o.desc ? '-c' : 'c'};`).join(' ');
    pre.push(`const o${i} = (a, b) => { let c; ${cmp} return 0; };`);
    prune = `{ b${i}.sort(o${i}); b${i}.length = ${p.limit}; }`;
  }
  body.push(`if (${guard}) {`);
  body.push(`b${i}.push([${items.join(', ')}]);`, `if (b${i}.length >= ${cap}) ${prune}`, `}`);
  post.push(`if (b${i}.length > ${p.limit}) ${prune}`);
}
