// A stream's figures as text cells under fixed columns, so that the status page and
// `gleam status` show the same things in the same words.
import type { StreamReport__Output, StreamStatus__Output } from '@gleam/proto';
import { formatDuration, formatMillis, formatTime } from './textFormat';

/** A stream of a status answer with its report (every stream the master lists has one). */
export type ReportedStream = StreamStatus__Output & { report: StreamReport__Output };

/** The columns of a stream row (the page shows them as is, `gleam status` in capitals). */
export const STREAM_COLUMNS = ['stream', 'state', 'interval', 'batches', 'last batch', 'records', 'scheduling delay', 'processing', 'buffered', 'driver'];

/** A stream's name, or its id when the driver gave none. */
export function streamTitle(r: StreamReport__Output): string {
  return r.name || r.streamId;
}

/** One row under STREAM_COLUMNS; '-' where the stream has no completed batch yet. */
export function streamCells(s: ReportedStream): string[] {
  const r = s.report;
  const last = r.lastBatch;
  return [
    streamTitle(r),
    s.state,
    formatMillis(r.batchMs),
    String(r.batches),
    last ? formatTime(last.timeMs) : '-',
    last ? String(last.records) : '-',
    last ? formatMillis(last.schedulingDelayMs) : '-',
    last ? formatMillis(last.processingMs) : '-',
    String(r.bufferedRecords),
    r.driver || '-',
  ];
}

/** What a row cannot say: why a stream failed (first line), or how long a lost one has been silent. */
export function streamNote(s: ReportedStream, now = Date.now()): string | undefined {
  if (s.state === 'lost') return `no report for ${formatDuration(now - s.lastReportMs)} (its driver stopped reporting)`;
  if (s.report.error) return s.report.error.split('\n')[0];
  return undefined;
}

/** The streams of a status answer that carry a report (all of them, from this master). */
export function reportedStreams(streams: StreamStatus__Output[] | undefined): ReportedStream[] {
  return (streams ?? []).filter((s): s is ReportedStream => s.report !== null && s.report !== undefined);
}
