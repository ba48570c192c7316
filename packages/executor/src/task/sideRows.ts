// What an instruction reads whole before its task's main input flows (see SideInput).
import type { Row } from '../stages/stage';
import type { ExternalSorter } from '../spill/externalSorter';

export interface SideRows {
  /** The second dataset: a join's right side, a broadcast small side, partition counts. */
  side: Row[];
  /** A sort-merge's right side instead, sorted by its key within the task's memory (spilling). */
  sorted?: ExternalSorter;
  /** Row stats [count, firstRowLength] per producer of a join's left / right side. */
  leftStats?: Row[];
  rightStats?: Row[];
}
