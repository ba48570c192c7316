// Compile-time assertions for the type tests: `check<Equal<A, B>>()` fails to compile unless A and
// B are the same type (the usual exact-equality trick: two generic functions are only mutually
// assignable when their conditional types are identical).
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only for `true`. */
export function check<T extends true>(): T | void {}

/** The row type of a Dataset or DStream. */
export type RowOf<D> = D extends { collect(): Promise<(infer R)[]> } ? R : D extends { foreachBatch(fn: (ds: infer S, t: number) => unknown): void } ? RowOf<S> : never;
