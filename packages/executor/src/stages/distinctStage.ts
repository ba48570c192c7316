import { HashOverflow, MAX_SPILL_LEVEL } from '../spill/hashOverflow';
import { leadingFields, nonEnding } from '../spill/nonEnding';
import { readSpill } from '../spill/spillFile';
import { approxRowBytes, type TaskSpills } from '../spill/taskSpills';
import { GroupIndex } from './groupIndex';
import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * distinct: streams the first row seen for each key (key null = the whole row). Over its memory
 * budget the set of seen keys stops growing: rows of unseen keys go to hash partition files, each
 * deduplicated on its own at the end (their first rows, in input order, are the ones emitted).
 */
export class DistinctStage extends ForwardingStage {
  private readonly seen: GroupIndex<true>;
  private bytes = 0;
  private overflow: HashOverflow | undefined;
  constructor(
    private readonly keyFields: number[] | null,
    next: Stage,
    private readonly spills?: TaskSpills,
    private readonly budgetBytes = Infinity,
    private readonly level = 0,
  ) {
    super(next);
    this.seen = new GroupIndex<true>(keyFields);
  }
  push(row: Row): void {
    const lk = this.seen.lookupKey(row);
    if (this.seen.get(lk) !== undefined) return;
    if (this.overflow !== undefined) {
      this.overflow.add(row, this.keyFields === null ? [row] : row);
      return;
    }
    this.seen.set(lk, true);
    this.next.push(row);
    if (this.budgetBytes < Infinity && this.spills !== undefined) {
      this.bytes += approxRowBytes(row) + 80;
      if (this.bytes > this.budgetBytes && this.level < MAX_SPILL_LEVEL) this.overflow = new HashOverflow(this.spills, this.keyFields ?? leadingFields(1), this.level);
    }
  }
  override async end(): Promise<void> {
    if (this.overflow !== undefined) {
      for (const file of this.overflow.finish()) {
        const part = new DistinctStage(this.keyFields, nonEnding(this.next), this.spills, this.budgetBytes, this.level + 1);
        let n = 0;
        for (const row of readSpill(this.spills!, file)) {
          part.push(row);
          if ((++n & 0xffff) === 0) await this.next.flush();
        }
        await part.end();
      }
    }
    return this.next.end();
  }
}
