// What a running stream tells the master (when it runs on one): after every batch and when it
// stops, one report of its figures, shown by `gleam status` and the status page. Reports go
// through the driver's StreamReporter, which never holds the stream up: a master that is slow or
// gone costs a log line, not a batch.
import * as os from 'node:os';
import { randomUUID } from 'node:crypto';
import { StreamReporter, type StreamBatchReport, type StreamReport } from '@gleam/driver';
import type { ResolvedOptions } from '../options';
import type { BatchInfo } from './batchInfo';

export class StreamMonitor {
  private readonly reporter: StreamReporter | undefined;
  private readonly streamId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly startedMs = Date.now();
  private batches = 0;
  private recordsTotal = 0;
  private lastBatch: StreamBatchReport | undefined;

  constructor(
    private readonly name: string,
    private readonly batchMs: number,
    run: ResolvedOptions,
    /** Records received and not yet in a batch, summed over the inputs. */
    private readonly buffered: () => number,
  ) {
    if (run.master) this.reporter = new StreamReporter({ master: run.master, secret: run.secret, tls: run.tls });
  }

  batchDone(info: BatchInfo): void {
    this.batches++;
    this.recordsTotal += info.records;
    this.lastBatch = { timeMs: info.timeMs, records: info.records, schedulingDelayMs: info.schedulingDelayMs, processingMs: info.processingMs, totalDelayMs: info.totalDelayMs };
    this.send('running');
  }

  /** The last report (stopped, or failed with its error), sent before the reporter closes. */
  async stopped(failure: Error | undefined): Promise<void> {
    if (!this.reporter) return;
    this.send(failure ? 'failed' : 'stopped', failure?.message);
    await this.reporter.close();
  }

  private send(state: StreamReport['state'], error?: string): void {
    this.reporter?.report({
      streamId: this.streamId,
      name: this.name,
      driver: `${os.hostname()}:${process.pid}`,
      batchMs: this.batchMs,
      state,
      startedMs: this.startedMs,
      batches: this.batches,
      recordsTotal: this.recordsTotal,
      bufferedRecords: this.buffered(),
      ...(this.lastBatch ? { lastBatch: this.lastBatch } : {}),
      ...(error ? { error } : {}),
    });
  }
}
