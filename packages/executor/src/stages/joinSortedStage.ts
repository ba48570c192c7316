import type { JoinKind } from '../plan/taskSpec';
import { mergeGroups, nulls, sortByKey, valuesOf } from './joinRows';
import type { Row, Stage } from './stage';

/**
 * Sort-merge join of one hash partition: the main input is the left side, the side rows the
 * right. Every pair per key (duplicates on both sides); outer kinds pad the missing side with
 * one null per value field (the width of that side's rows, 1 when the partition has none).
 */
export class JoinSortedStage implements Stage {
  private left: Row[] = [];
  constructor(
    private readonly key: number[],
    private readonly sideKey: number[],
    private readonly kind: JoinKind,
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
    const leftWidth = left.length > 0 ? left[0].row.length - this.key.length : 1;
    const rightWidth = right.length > 0 ? right[0].row.length - this.sideKey.length : 1;
    const keepLeft = this.kind === 'left' || this.kind === 'full';
    const keepRight = this.kind === 'right' || this.kind === 'full';
    const next = this.next;
    let emitted = 0;
    const pending: Promise<void>[] = [];
    mergeGroups(left, right, (keys, l, r) => {
      if (l.length > 0 && r.length > 0) {
        for (const a of l) {
          const av = valuesOf(a, this.key);
          for (const b of r) {
            next.push([...keys, ...av, ...valuesOf(b, this.sideKey)]);
            emitted++;
          }
        }
      } else if (l.length > 0 && keepLeft) {
        for (const a of l) next.push([...keys, ...valuesOf(a, this.key), ...nulls(rightWidth)]);
      } else if (r.length > 0 && keepRight) {
        for (const b of r) next.push([...keys, ...nulls(leftWidth), ...valuesOf(b, this.sideKey)]);
      }
      if (emitted > 65536) {
        emitted = 0;
        const p = next.flush();
        if (p) pending.push(p);
      }
    });
    await Promise.all(pending);
    await next.flush();
    return next.end();
  }
}
