import { PipeProcess } from '../pipe/pipeProcess';
import type { PipeBounds } from '../plan/taskSpec';
import type { Row, Stage, StageContext } from './stage';

/** pipe: streams the partition through `sh -c command` as tab-separated lines. */
export class PipeStage implements Stage {
  private pending: Row[] = [];
  private readonly proc: PipeProcess;
  constructor(command: string, step: string, ctx: StageContext, private readonly next: Stage, bounds: PipeBounds = {}) {
    this.proc = new PipeProcess(command, {
      stepName: step,
      timeoutMs: bounds.timeoutMs,
      idleTimeoutMs: bounds.idleTimeoutMs,
      onRows: (rows) => {
        for (let i = 0; i < rows.length; i++) next.push(rows[i]);
        return next.flush();
      },
    });
    ctx.signal.addEventListener('abort', () => this.proc.kill(), { once: true });
  }
  push(row: Row): void {
    this.pending.push(row);
  }
  flush(): void | Promise<void> {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    return this.proc.write(rows);
  }
  async end(): Promise<void> {
    await this.flush();
    await this.proc.end();
    await this.next.flush();
    return this.next.end();
  }
}
