import type { Row } from '../codec/rowCodec';
import { compareValues, makeRowComparator, type OrderBy } from './keyOrder';

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
