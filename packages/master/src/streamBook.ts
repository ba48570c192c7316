// The latest report of each stream (micro-batches run by a driver), for `gleam status` and the
// status page. Reports are soft state: each replaces the one before, and a running stream whose
// reports stop is shown "lost" rather than trusted for ever.
import type { StreamReport__Output, StreamShownState, StreamStatus__Output } from '@gleam/proto';

export interface StreamBookOptions {
  /** A running stream with no report for max(this, 5 batch intervals) is lost; default 30000. */
  lostAfterMs: number;
  /** Stopped, failed and lost streams are forgotten this long after they ended; default 600000. */
  forgetAfterMs: number;
  /** At most this many ended streams are kept (the oldest go first); default 100. */
  keepFinished: number;
}

export const DEFAULT_STREAM_BOOK_OPTIONS: StreamBookOptions = { lostAfterMs: 30000, forgetAfterMs: 600000, keepFinished: 100 };

interface StreamEntry {
  report: StreamReport__Output;
  /** When the master received the report (its own clock: drivers' clocks may differ). */
  lastReportMs: number;
  /** The loss was already announced by sweep(). */
  lostSeen: boolean;
}

export class StreamBook {
  private readonly opts: StreamBookOptions;
  private readonly streams = new Map<string, StreamEntry>();

  constructor(opts: Partial<StreamBookOptions> = {}) {
    this.opts = { ...DEFAULT_STREAM_BOOK_OPTIONS, ...opts };
  }

  /** Stores a report as the stream's latest; returns the state it replaced ('' for a new stream). */
  report(r: StreamReport__Output, now = Date.now()): StreamShownState | '' {
    const prev = this.streams.get(r.streamId);
    const before = prev ? this.stateOf(prev, now) : '';
    this.streams.set(r.streamId, { report: { ...r, state: r.state || 'running' }, lastReportMs: now, lostSeen: false });
    return before;
  }

  /** How long a running stream of this batch interval may stay silent before it is lost. */
  lostAfterMs(batchMs: number): number {
    return Math.max(this.opts.lostAfterMs, 5 * (Number(batchMs) || 0));
  }

  /**
   * The timer's work: returns the running streams found lost since the last sweep (to be logged
   * once), and forgets ended streams past their time or beyond the number kept.
   */
  sweep(now = Date.now()): StreamStatus__Output[] {
    const newlyLost: StreamStatus__Output[] = [];
    for (const entry of this.streams.values()) {
      if (entry.lostSeen || this.stateOf(entry, now) !== 'lost') continue;
      entry.lostSeen = true;
      newlyLost.push(this.statusOf(entry, now));
    }
    this.forget(now);
    return newlyLost;
  }

  /** Running streams by start time, then the ended ones, most recently ended first. */
  list(now = Date.now()): StreamStatus__Output[] {
    this.forget(now);
    const all = [...this.streams.values()];
    const running = all.filter((e) => this.stateOf(e, now) === 'running').sort((a, b) => a.report.startedMs - b.report.startedMs);
    const ended = all.filter((e) => !running.includes(e)).sort((a, b) => this.endedMs(b) - this.endedMs(a));
    return [...running, ...ended].map((e) => this.statusOf(e, now));
  }

  private forget(now: number): void {
    const ended: Array<[string, number]> = [];
    for (const [id, entry] of this.streams) {
      if (this.stateOf(entry, now) === 'running') continue;
      const endedMs = this.endedMs(entry);
      if (now - endedMs > this.opts.forgetAfterMs) this.streams.delete(id);
      else ended.push([id, endedMs]);
    }
    if (ended.length <= this.opts.keepFinished) return;
    ended.sort((a, b) => a[1] - b[1]);
    for (const [id] of ended.slice(0, ended.length - this.opts.keepFinished)) this.streams.delete(id);
  }

  private statusOf(entry: StreamEntry, now: number): StreamStatus__Output {
    return { report: entry.report, lastReportMs: entry.lastReportMs, state: this.stateOf(entry, now) };
  }

  private stateOf(entry: StreamEntry, now: number): StreamShownState {
    const state = entry.report.state as StreamShownState;
    if (state !== 'running') return state;
    return now - entry.lastReportMs > this.lostAfterMs(entry.report.batchMs) ? 'lost' : 'running';
  }

  /** When an ended stream ended: its last report, or for a lost one the moment it became lost. */
  private endedMs(entry: StreamEntry): number {
    return entry.report.state === 'running' ? entry.lastReportMs + this.lostAfterMs(entry.report.batchMs) : entry.lastReportMs;
  }
}
