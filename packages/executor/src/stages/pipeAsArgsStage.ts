import { runPipeAsArgs } from '../pipe/pipeAsArgs';
import type { PipeBounds } from '../plan/taskSpec';
import type { Row, Stage } from './stage';

/** pipeAsArgs: one `sh -c` per row with $1..$n replaced by the row's shell-quoted fields. */
export class PipeAsArgsStage implements Stage {
  private pending: Row[] = [];
  constructor(private readonly command: string, private readonly step: string, private readonly next: Stage, private readonly signal?: AbortSignal, private readonly bounds: PipeBounds = {}) {}
  push(row: Row): void {
    this.pending.push(row);
  }
  flush(): Promise<void> | void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    const next = this.next;
    return runPipeAsArgs(this.command, rows, {
      stepName: this.step,
      signal: this.signal,
      timeoutMs: this.bounds.timeoutMs,
      idleTimeoutMs: this.bounds.idleTimeoutMs,
      onRows: (out) => {
        for (let i = 0; i < out.length; i++) next.push(out[i]);
        return next.flush();
      },
    });
  }
  async end(): Promise<void> {
    await this.flush();
    await this.next.flush();
    return this.next.end();
  }
}
