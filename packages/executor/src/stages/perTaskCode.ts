// Hot row loops compiled from source once per stage instance. V8 keeps type feedback per
// compiled function, so code shared by every task of an executor (a class method) sees all of
// their UDFs at one call site, goes polymorphic and stops inlining them. A function compiled
// for one task sees one UDF per call site, and V8 inlines it into the loop.
//
// Only fixed text and numbers go into the sources; UDFs, maps and step names are arguments.

/** Compiles `body` (strict mode) with the named bindings and returns what it returns. */
export function compilePerTask<T>(bindings: Record<string, unknown>, body: string): T {
  const names = Object.keys(bindings);
  // eslint-disable-next-line no-new-func
  const factory = new Function(...names, `"use strict";\n${body}`) as (...args: unknown[]) => T;
  return factory(...names.map((n) => bindings[n]));
}
