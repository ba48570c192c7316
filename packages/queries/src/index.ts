export * from './engine/types';
export { QueryEngine } from './engine/queryEngine';
export { parseQuery, DEFAULT_ROW_LIMIT, type CheckedQuery } from './sql/parse';
export type * from './sql/ast';
export * from './server';
