import type { Row, Stage } from './stage';

/** Emits one row [count] at the end of the partition (count() sums these). */
export class CountRowsStage implements Stage {
  private count = 0;
  constructor(private readonly next: Stage) {}
  push(_row: Row): void {
    this.count++;
  }
  flush(): void {}
  end(): Promise<void> {
    this.next.push([this.count]);
    return this.next.end();
  }
}
