// Options of flow.streaming(): the batch interval, the checkpoint directory, the receivers'
// bound, and the run options every batch's jobs run with (master, executors, ...).
import { GleamError } from '@gleam/executor';
import { resolveOptions, type RunOptions } from '../options';

export interface StreamingOptions extends RunOptions {
  /** The batch interval in ms: records received in one interval form one batch (one job per output). */
  batchMs: number;
  /** Directory where state and source progress are saved after every batch, for a restart to resume. */
  checkpoint?: string;
  /** Records a receiver may hold (received and not yet processed: waiting for a batch, or in a batch not yet done) before it stops reading its source (default 1,000,000). */
  maxBufferedRecords?: number;
}

export interface ResolvedStreaming {
  batchMs: number;
  checkpoint?: string;
  maxBufferedRecords: number;
  /** The run options of every job of the stream. */
  run: RunOptions;
}

export const DEFAULT_MAX_BUFFERED_RECORDS = 1_000_000;

export function resolveStreaming(opts: StreamingOptions): ResolvedStreaming {
  if (opts === null || typeof opts !== 'object') throw new GleamError('streaming: expected options like { batchMs: 500 }');
  const { batchMs, checkpoint, maxBufferedRecords, ...run } = opts;
  if (typeof batchMs !== 'number' || !Number.isInteger(batchMs) || batchMs < 1) {
    throw new GleamError(`streaming: batchMs must be a positive integer number of milliseconds, got ${JSON.stringify(batchMs)}`);
  }
  if (checkpoint !== undefined && (typeof checkpoint !== 'string' || checkpoint === '')) {
    throw new GleamError(`streaming: checkpoint must be a directory path, got ${JSON.stringify(checkpoint)}`);
  }
  const max = maxBufferedRecords ?? DEFAULT_MAX_BUFFERED_RECORDS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1) {
    throw new GleamError(`streaming: maxBufferedRecords must be a positive integer, got ${JSON.stringify(maxBufferedRecords)}`);
  }
  // Bad run options fail now, not at the first batch.
  const resolved = resolveOptions(run);
  if (resolved.plan) throw new GleamError('streaming: planner mode (plan / GLEAM_PLAN) prints a plan per job; print a batch\'s plan with foreachBatch and flow.run({ plan: true }) instead');
  return { batchMs, checkpoint, maxBufferedRecords: max, run };
}
