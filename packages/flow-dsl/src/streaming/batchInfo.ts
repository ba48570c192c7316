// What ssc.on('batch') reports for every batch, and the stream's figures for the master.

export interface BatchInfo {
  /** The batch's time: it holds the records received in [timeMs - batchMs, timeMs). */
  timeMs: number;
  /** Records (rows) of every input in this batch. */
  records: number;
  /** Per input stream: its name and records (a file stream: also its new files). */
  inputs: { stream: string; records: number; files?: number }[];
  /** From the batch's time until its processing started (batches run one at a time). */
  schedulingDelayMs: number;
  /** From the start to the end of its outputs (and its state kept). */
  processingMs: number;
  /** schedulingDelayMs + processingMs. */
  totalDelayMs: number;
  /** Output operations run (a windowed output runs only at its slide). */
  outputs: number;
  /** A batch replayed from the checkpoint after a restart. */
  replayed?: boolean;
}
