import { HashOverflow, MAX_SPILL_LEVEL } from '../spill/hashOverflow';
import { leadingFields, nonEnding } from '../spill/nonEnding';
import { readSpill } from '../spill/spillFile';
import { approxRowBytes, type TaskSpills } from '../spill/taskSpills';
import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import type { Row, Stage } from './stage';

interface Group {
  keys: unknown[];
  values: unknown[];
}

/**
 * groupBy: one row [...keys, values[]] per key. With `merge`, inputs are such rows already.
 * Over its memory budget the stage writes every group it holds, as such a row, to hash partition
 * files and starts again empty; at the end, if it spilled, it writes the rest too and groups each
 * file on its own (values stay in input order: a key's earlier rows are written first).
 */
export class GroupByKeyStage implements Stage {
  private index: GroupIndex<Group>;
  private readonly layout: KeyedRowLayout;
  private bytes = 0;
  private overflow: HashOverflow | undefined;
  constructor(
    private readonly keyFields: number[],
    private readonly merge: boolean,
    private readonly next: Stage,
    private readonly step = 'groupBy',
    private readonly spills?: TaskSpills,
    private readonly budgetBytes = Infinity,
    private readonly level = 0,
  ) {
    this.index = new GroupIndex<Group>(keyFields);
    this.layout = new KeyedRowLayout(keyFields, step);
  }
  push(row: Row): void {
    const lk = this.index.lookupKey(row);
    let g = this.index.get(lk);
    if (g === undefined) {
      g = { keys: this.layout.keys(row), values: [] };
      this.index.set(lk, g);
    }
    if (this.merge) {
      const vs = row[row.length - 1] as unknown[];
      for (let i = 0; i < vs.length; i++) g.values.push(vs[i]);
    } else {
      g.values.push(this.layout.value(row));
    }
    if (this.budgetBytes < Infinity && this.spills !== undefined) {
      this.bytes += approxRowBytes(row);
      if (this.bytes > this.budgetBytes && this.level < MAX_SPILL_LEVEL) this.spill(this.spills);
    }
  }
  private spill(spills: TaskSpills): void {
    const k = this.keyFields.length;
    this.overflow ??= new HashOverflow(spills, leadingFields(k), this.level);
    for (const g of this.index.entries()) this.overflow.add([...g.keys, g.values]);
    this.index = new GroupIndex<Group>(this.keyFields);
    this.bytes = 0;
  }
  flush(): void {}
  async end(): Promise<void> {
    if (this.overflow !== undefined) return this.endSpilled(this.spills!, this.overflow);
    for (const g of this.index.entries()) this.next.push([...g.keys, g.values]);
    await this.next.flush();
    return this.next.end();
  }
  private async endSpilled(spills: TaskSpills, overflow: HashOverflow): Promise<void> {
    this.spill(spills);
    const k = this.keyFields.length;
    for (const file of overflow.finish()) {
      const part = new GroupByKeyStage(leadingFields(k), true, nonEnding(this.next), this.step, spills, this.budgetBytes, this.level + 1);
      let n = 0;
      for (const row of readSpill(spills, file)) {
        part.push(row);
        if ((++n & 0xffff) === 0) await this.next.flush();
      }
      await part.end();
    }
    return this.next.end();
  }
}
