import { checkKeyFields, keysOf, valuesOf } from './joinRows';
import { KeyMap } from './keyMap';
import { ForwardingStage, type Row, type Stage } from './stage';

/**
 * Broadcast (hash) join: every row of the small side sits in a hash map; the big side streams
 * through. Inner join, every pair per key (duplicate keys on the small side are all kept).
 */
export class HashJoinStage extends ForwardingStage {
  private readonly small = new KeyMap<Row[]>();
  constructor(private readonly key: number[], private readonly sideKey: number[], side: Row[], private readonly step: string, next: Stage) {
    super(next);
    for (const row of side) {
      checkKeyFields(row, sideKey, step, 'small');
      const list = this.small.get(row, sideKey);
      if (list) list.push(row);
      else this.small.set(row, sideKey, [row]);
    }
  }
  push(row: Row): void {
    checkKeyFields(row, this.key, this.step, 'big');
    const matches = this.small.get(row, this.key);
    if (matches === undefined) return;
    const keys = keysOf(row, this.key);
    const vals = valuesOf(row, this.key);
    for (const m of matches) this.next.push([...keys, ...vals, ...valuesOf(m, this.sideKey)]);
  }
}
