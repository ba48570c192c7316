import { ForwardingStage, type Row, type Stage, type StageContext } from './stage';

/** localLimit: the first n rows of the partition; then asks the reader to stop. */
export class LocalLimitStage extends ForwardingStage {
  private seen = 0;
  constructor(private readonly n: number, private readonly ctx: StageContext, next: Stage) {
    super(next);
    if (n <= 0) ctx.stopInput = true;
  }
  push(row: Row): void {
    if (this.seen >= this.n) return;
    this.seen++;
    this.next.push(row);
    if (this.seen >= this.n) this.ctx.stopInput = true;
  }
}
