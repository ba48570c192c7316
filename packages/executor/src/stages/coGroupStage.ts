import type { Row } from './stage';
import { SortMergeStage } from './sortMergeStage';

/** coGroup: one row [...keys, leftValues[], rightValues[]] per key. */
export class CoGroupStage extends SortMergeStage {
  protected emitGroup(keys: unknown[], l: Row[], r: Row[]): void {
    this.next.push([...keys, l.map((row) => this.left.value(row)), r.map((row) => this.right.value(row))]);
  }
}
