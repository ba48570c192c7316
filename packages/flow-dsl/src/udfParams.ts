// Opt-in typing of the name `params` inside UDFs for strict TypeScript. UDFs are compiled from
// their source in the executors, where `params` is the operator's `{ params }` value; the driver
// has no such variable, so the declaration is global only for scripts that import this module
// (`import type {} from '@gleam/flow-dsl/dist/udfParams'`). A script-local
// `declare const params: {...}` keeps working and wins over this one.
declare global {
  /**
   * What `params` holds inside a UDF. Its fields are `any` unless the script names them by
   * merging: `declare global { interface GleamUdfParams { centroids: [number, number][] } }`.
   */
  interface GleamUdfParams {
    [name: string]: any;
  }
  /** Inside a UDF: the operator's `{ params }`. It does not exist in driver code (a ReferenceError there). */
  const params: GleamUdfParams;
}

export {};
