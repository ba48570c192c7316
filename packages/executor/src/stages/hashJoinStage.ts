import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * Broadcast (hash) join: every row of the small side sits in a hash map; the big side streams
 * through. Inner join, every pair per key (duplicate keys on the small side are all kept).
 */
export class HashJoinStage extends ForwardingStage {
  private readonly small: GroupIndex<Row[]>;
  private readonly big: KeyedRowLayout;
  private readonly side: KeyedRowLayout;
  constructor(private readonly key: number[], sideKey: number[], sideRows: Row[], step: string, next: Stage) {
    super(next);
    this.big = new KeyedRowLayout(key, step);
    this.side = new KeyedRowLayout(sideKey, step);
    this.small = new GroupIndex<Row[]>(sideKey);
    for (const row of sideRows) {
      this.side.valueFields(row.length, row); // checks the key fields exist
      const k = this.small.lookupKey(row);
      const list = this.small.get(k);
      if (list) list.push(row);
      else this.small.set(k, [row]);
    }
  }
  push(row: Row): void {
    this.big.valueFields(row.length, row); // checks the key fields exist
    const matches = this.small.get(this.small.lookupKeyOf(row, this.key));
    if (matches === undefined) return;
    const keys = this.big.keys(row);
    const vals = this.big.values(row);
    for (const m of matches) this.next.push([...keys, ...vals, ...this.side.values(m)]);
  }
}
