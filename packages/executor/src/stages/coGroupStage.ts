import { mergeGroups, sortByKey, valueOf } from './joinRows';
import type { Row, Stage } from './stage';

/** coGroup of one hash partition: one row [...keys, leftValues[], rightValues[]] per key. */
export class CoGroupStage implements Stage {
  private left: Row[] = [];
  constructor(
    private readonly key: number[],
    private readonly sideKey: number[],
    private readonly right: Row[],
    private readonly step: string,
    private readonly next: Stage,
  ) {}
  push(row: Row): void {
    this.left.push(row);
  }
  flush(): void {}
  async end(): Promise<void> {
    const left = sortByKey(this.left, this.key, this.step, 'left');
    const right = sortByKey(this.right, this.sideKey, this.step, 'right');
    this.left = [];
    mergeGroups(left, right, (keys, l, r) => {
      this.next.push([...keys, l.map((row) => valueOf(row, this.key)), r.map((row) => valueOf(row, this.sideKey))]);
    });
    await this.next.flush();
    return this.next.end();
  }
}
