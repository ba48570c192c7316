// What an instruction reads whole before its task's main input flows (see SideInput).
import type { Row } from '../stages/stage';

export interface SideRows {
  /** The second dataset: a join's right side, a broadcast small side, partition counts. */
  side: Row[];
  /** Row stats [count, firstRowLength] per producer of a join's left / right side. */
  leftStats?: Row[];
  rightStats?: Row[];
}
