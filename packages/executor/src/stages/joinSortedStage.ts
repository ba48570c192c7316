import type { JoinKind } from '../plan/taskSpec';
import type { Row, Stage } from './stage';
import { SortMergeStage } from './sortMergeStage';
import type { ExternalSorter } from '../spill/externalSorter';
import type { TaskSpills } from '../spill/taskSpills';

/**
 * Sort-merge join: every pair per key (duplicates on both sides); outer kinds pad the missing
 * side with one null per value field of that side. The widths come from the plan's row stats of
 * each side (the same in every partition); without them, from the rows this partition holds.
 */
export class JoinSortedStage extends SortMergeStage {
  private readonly keepLeft: boolean;
  private readonly keepRight: boolean;
  constructor(key: number[], sideKey: number[], kind: JoinKind, right: ExternalSorter, step: string, next: Stage, spills: TaskSpills, budgetBytes: number, widths: { left?: number; right?: number } = {}) {
    super(key, sideKey, right, step, next, spills, budgetBytes, widths);
    this.keepLeft = kind === 'left' || kind === 'full';
    this.keepRight = kind === 'right' || kind === 'full';
  }
  protected emitGroup(keys: unknown[], l: Row[], r: Row[], widths: { left: number; right: number }): void {
    const next = this.next;
    if (l.length > 0 && r.length > 0) {
      const rvs = r.map((b) => this.right.values(b));
      for (const a of l) {
        const av = this.left.values(a);
        for (const bv of rvs) next.push([...keys, ...av, ...bv]);
      }
    } else if (l.length > 0 && this.keepLeft) {
      for (const a of l) next.push([...keys, ...this.left.values(a), ...nulls(widths.right)]);
    } else if (r.length > 0 && this.keepRight) {
      for (const b of r) next.push([...keys, ...nulls(widths.left), ...this.right.values(b)]);
    }
  }
}

function nulls(n: number): null[] {
  return new Array(n).fill(null);
}
