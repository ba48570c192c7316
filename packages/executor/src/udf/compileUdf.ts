// UDFs travel as source and are compiled once per task, so each executor loop sees one
// monomorphic function, and a UDF that captured a driver variable fails the same way locally
// as on a cluster.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { GleamError, describeRow } from '../errors';
import type { UdfSpec } from '../plan/taskSpec';

export type Udf = (...args: unknown[]) => unknown;

/** Source text of a function or a source string, normalised to a function expression. */
export function udfSource(fn: unknown, step: string): string {
  if (typeof fn === 'string') return normaliseSource(fn);
  if (typeof fn !== 'function') throw new GleamError(`step "${step}": expected a function or its source string, got ${typeof fn}`, step);
  const src = Function.prototype.toString.call(fn);
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    throw new GleamError(`step "${step}": the UDF is a native or bound function; pass a plain function (or its source) instead`, step);
  }
  return normaliseSource(src);
}

// Method shorthand (`name(a) { ... }`) is not an expression: turn it into `function name(a) {...}`.
function normaliseSource(src: string): string {
  const s = src.trim();
  if (/^(async\s+)?(function\b|\(|[A-Za-z_$][\w$]*\s*=>|async\s*\()/.test(s)) return s;
  const m = /^(async\s+)?(\*?\s*)([A-Za-z_$][\w$]*)\s*\(/.exec(s);
  if (m && !/^(class)\b/.test(s)) return `${m[1] ?? ''}function${m[2] ? '*' : ''} ${s.slice(m[0].length - 1 - m[3].length)}`;
  return s;
}

function factorySource(source: string): string {
  return `"use strict";\nreturn (${source}\n);`;
}

/** Compile-only check, run by the planner so a syntax error is reported before anything runs. */
export function checkUdfSyntax(source: string, step: string): void {
  try {
    // eslint-disable-next-line no-new-func
    new Function('params', 'require', factorySource(source));
  } catch (e) {
    throw new GleamError(`step "${step}": the UDF does not compile: ${(e as Error).message}\n  source: ${abbreviate(source)}`, step);
  }
}

let udfRequire: NodeRequire | undefined;
function requireForUdfs(): NodeRequire {
  // Resolve like a module in the working directory, so UDFs can require built-ins and project packages.
  udfRequire ??= createRequire(path.join(process.cwd(), '__gleam_udf__.js'));
  return udfRequire;
}

/** Compile a UDF in the executor. Throws a GleamError naming the step when it is not a function. */
export function compileUdf(spec: UdfSpec, step: string): Udf {
  let fn: unknown;
  try {
    // eslint-disable-next-line no-new-func
    const factory = new Function('params', 'require', factorySource(spec.source));
    fn = factory(spec.params, requireForUdfs());
  } catch (e) {
    throw explainUdfError(e, step, undefined, spec.source);
  }
  if (typeof fn !== 'function') {
    throw new GleamError(`step "${step}": the UDF source does not evaluate to a function: ${abbreviate(spec.source)}`, step);
  }
  return fn as Udf;
}

/** Turn an exception thrown by (or while compiling) a UDF into a message naming the step and the row. */
export function explainUdfError(e: unknown, step: string, row: unknown, source?: string): GleamError {
  const err = e instanceof Error ? e : new Error(String(e));
  const rowText = row === undefined ? '' : `\n  row: ${describeRow(row)}`;
  let message: string;
  const missing = err instanceof ReferenceError ? /^(\S+) is not defined/.exec(err.message) : null;
  if (missing) {
    const name = missing[1];
    message =
      `step "${step}": the UDF uses "${name}", which is not defined inside it. ` +
      `UDFs are compiled from their source in the executor and cannot see variables of the driver script; ` +
      `pass the value through the operator's { params: { ${name} } } and read it as params.${name}` +
      (source ? `\n  source: ${abbreviate(source)}` : '') + rowText;
  } else {
    // The UDF's own frames (and what it called), not the engine's generated loop that called it.
    const all = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    const engine = all.findIndex((l) => l.includes('compilePerTask') || /[\\/]executor[\\/](dist|src)[\\/](stages|task)[\\/]/.test(l));
    const frames = (engine > 0 ? all.slice(0, engine) : all).slice(0, 4);
    message = `step "${step}": the UDF threw ${err.name}: ${err.message}${rowText}` + (frames.length ? `\n  UDF stack:\n${frames.join('\n')}` : '');
  }
  const out = new GleamError(message, step);
  out.stack = message;
  return out;
}

function abbreviate(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}
