import type { Row } from '../codec/rowCodec';
import { compareValues, makeRowComparator, type OrderBy } from './keyOrder';
import { sortRowsByStringField } from './stringRadixSort';

/** The sort "field" that stands for the whole row. */
export const WHOLE_ROW = -1;

/**
 * A comparator for sort fields. No fields, or the single field WHOLE_ROW, means whole rows in
 * the total order (element-wise, then length).
 */
export function rowComparator(orderBy: OrderBy[]): (a: Row, b: Row) => number {
  if (orderBy.length === 0) return compareValues;
  if (orderBy.length === 1 && orderBy[0].field === WHOLE_ROW) return orderBy[0].desc ? (a, b) => compareValues(b, a) : compareValues;
  return makeRowComparator(orderBy);
}

/**
 * The rows sorted (stable; may sort `rows` in place): by radix when the one sort field holds a
 * string in every row, else with rowComparator.
 */
export function sortRows(rows: Row[], orderBy: OrderBy[]): Row[] {
  if (orderBy.length === 1 && orderBy[0].field !== WHOLE_ROW && rows.length > 64) {
    const sorted = sortRowsByStringField(rows, orderBy[0].field, orderBy[0].desc);
    if (sorted !== undefined) return sorted;
  }
  return rows.sort(rowComparator(orderBy));
}
