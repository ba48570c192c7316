import { GroupIndex } from './groupIndex';
import { KeyedRowLayout } from './keyedValue';
import type { Row, Stage } from './stage';

interface Group {
  keys: unknown[];
  values: unknown[];
}

/** groupBy: one row [...keys, values[]] per key. With `merge`, inputs are such rows already. */
export class GroupByKeyStage implements Stage {
  private readonly index: GroupIndex<Group>;
  private readonly layout: KeyedRowLayout;
  constructor(keyFields: number[], private readonly merge: boolean, private readonly next: Stage, step = 'groupBy') {
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
  }
  flush(): void {}
  async end(): Promise<void> {
    for (const g of this.index.entries()) this.next.push([...g.keys, g.values]);
    await this.next.flush();
    return this.next.end();
  }
}
