// Whole-row set operators over one hash partition (both sides partitioned by the whole row).
import { GroupIndex } from './groupIndex';
import { ForwardingStage, type Row, type Stage } from './stage';

function rowSet(rows: Row[]): GroupIndex<boolean> {
  const set = new GroupIndex<boolean>(null);
  for (const r of rows) set.set(set.lookupKey(r), true);
  return set;
}

/** subtract: rows of the main input that do not occur in the side (duplicates kept). */
export class SubtractStage extends ForwardingStage {
  private readonly other: GroupIndex<boolean>;
  constructor(side: Row[], next: Stage) {
    super(next);
    this.other = rowSet(side);
  }
  push(row: Row): void {
    if (this.other.get(this.other.lookupKey(row)) === undefined) this.next.push(row);
  }
}

/** intersection: distinct rows that occur in both inputs. */
export class IntersectionStage extends ForwardingStage {
  private readonly other: GroupIndex<boolean>;
  constructor(side: Row[], next: Stage) {
    super(next);
    this.other = rowSet(side);
  }
  push(row: Row): void {
    const k = this.other.lookupKey(row);
    // Emitted rows are marked false so each distinct row comes out once.
    if (this.other.get(k) === true) {
      this.other.set(k, false);
      this.next.push(row);
    }
  }
}
