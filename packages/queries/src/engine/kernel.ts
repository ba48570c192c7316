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
  plan.shapes.forEach((s, i) => shapeCode(s, i, guard(s.filter), pre, body));
  // ---- row buffers ----
  plan.projections.forEach((p, i) => projectionCode(p, i, guard(p.filter), recordExpr(plan.format), pre, body, post));

  const helpers = [sqlCompare, compareValues, asText, inKey, asNumber, splitCsvLine].map((f) => f.toString()).join('\n');
  return `function queryBatchKernel(rows) {
"use strict";
${helpers}
${pre.join('\n')}
let n = 0, bad = 0;
for (const row of rows) {
${body.join('\n')}
}
${post.join('\n')}
return [[{ rows: n, bad, evals: n * ${plan.predicates.length}, g: [${plan.shapes.map((_s, i) => `Array.from(g${i}.values())`).join(', ')}], p: [${plan.projections.map((_p, i) => `b${i}`).join(', ')}] }]];
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

function shapeCode(s: ShapeSpec, i: number, guard: string, pre: string[], body: string[]): void {
  pre.push(`const g${i} = new Map();`);
  const keyVars = s.group.map((f) => `f${f}`);
  const key =
    keyVars.length === 0 ? '0' : keyVars.length === 1 ? `(${keyVars[0]} !== null && typeof ${keyVars[0]} === 'object' ? 'o' + JSON.stringify(${keyVars[0]}) : ${keyVars[0]})` : `JSON.stringify([${keyVars.join(', ')}])`;
  const init: string[] = [];
  const update: string[] = [];
  let slot = 1;
  for (const a of s.aggs) {
    const v = a.field < 0 ? 'null' : `f${a.field}`;
    switch (a.fn) {
      case 'count':
        init.push('0');
        update.push(a.field < 0 ? `e[${slot}]++;` : `if (${v} !== null) e[${slot}]++;`);
        break;
      case 'sum':
      case 'avg':
        init.push('0', '0');
        update.push(`{ const x = asNumber(${v}); if (x === x) { e[${slot}] += x; e[${slot + 1}]++; } }`);
        break;
      case 'min':
      case 'max':
        init.push('null');
        update.push(`if (${v} !== null && (e[${slot}] === null || compareValues(${v}, e[${slot}]) ${a.fn === 'min' ? '<' : '>'} 0)) e[${slot}] = ${v};`);
        break;
    }
    slot += aggSlots(a.fn);
  }
  body.push(`if (${guard}) {`, `const k = ${key};`, `let e = g${i}.get(k);`, `if (e === undefined) { e = [[${keyVars.join(', ')}], ${init.join(', ')}]; g${i}.set(k, e); }`, ...update, `}`);
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
