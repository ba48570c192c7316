// Whole-row set operators over one hash partition (both sides partitioned by the whole row).
import { allFields, KeyMap } from './keyMap';
import { ForwardingStage, type Row, type Stage } from './stage';

function rowSet(rows: Row[]): KeyMap<boolean> {
  const set = new KeyMap<boolean>();
  for (const r of rows) set.set(r, allFields(r.length), true);
  return set;
}

/** subtract: rows of the main input that do not occur in the side (duplicates kept). */
export class SubtractStage extends ForwardingStage {
  private readonly other: KeyMap<boolean>;
  constructor(side: Row[], next: Stage) {
    super(next);
    this.other = rowSet(side);
  }
  push(row: Row): void {
    if (this.other.get(row, allFields(row.length)) === undefined) this.next.push(row);
  }
}

/** intersection: distinct rows that occur in both inputs. */
export class IntersectionStage extends ForwardingStage {
  private readonly other: KeyMap<boolean>;
  constructor(side: Row[], next: Stage) {
    super(next);
    this.other = rowSet(side);
  }
  push(row: Row): void {
    const fields = allFields(row.length);
    // Emitted rows are marked false so each distinct row comes out once.
    if (this.other.get(row, fields) === true) {
      this.other.set(row, fields, false);
      this.next.push(row);
    }
  }
}
