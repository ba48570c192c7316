import { GroupIndex } from './groupIndex';
import { ForwardingStage, type Row, type Stage } from './stage';

/** distinct: streams the first row seen for each key (key null = the whole row). */
export class DistinctStage extends ForwardingStage {
  private readonly seen: GroupIndex<true>;
  constructor(keyFields: number[] | null, next: Stage) {
    super(next);
    this.seen = new GroupIndex<true>(keyFields);
  }
  push(row: Row): void {
    const lk = this.seen.lookupKey(row);
    if (this.seen.get(lk) !== undefined) return;
    this.seen.set(lk, true);
    this.next.push(row);
  }
}
