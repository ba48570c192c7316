// A driver's reports on its running streams to the master (ReportStream), shown by `gleam status`
// and the status page. One report per batch, never per row. Reports are soft state that the next
// one replaces, so the stream never waits for the master: report() returns at once, one call is
// in flight at most, reports made meanwhile coalesce to the newest of each stream, and a failed
// call is logged (once per distinct message) and forgotten.
import type { ClientTls, grpc, MasterClient, StreamReport as WireStreamReport, StreamState } from '@gleam/proto';
import type { describeGrpcError } from './grpcErrors';

/** gRPC and the proto load on first use (exported from the driver's index, which local runs load too). */
function proto(): typeof import('@gleam/proto') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@gleam/proto') as typeof import('@gleam/proto');
}

/** The figures of a stream's most recent completed batch. */
export interface StreamBatchReport {
  /** The batch's time: the end of its interval (ms since the epoch). */
  timeMs: number;
  records: number;
  /** From the batch's time until its job started. */
  schedulingDelayMs: number;
  /** The batch job's run time. */
  processingMs: number;
  /** Scheduling delay plus processing. */
  totalDelayMs: number;
}

/** What the master is told about a stream (see StreamReport in proto/gleam.proto). */
export interface StreamReport {
  /** Unique per stream; the master keeps the latest report under it. */
  streamId: string;
  name: string;
  /** Who runs the stream, free text (e.g. "host:pid"). */
  driver: string;
  batchMs: number;
  state: StreamState;
  startedMs: number;
  /** Batches completed so far. */
  batches: number;
  /** Records in all completed batches. */
  recordsTotal: number;
  /** Records received and not yet in a batch. */
  bufferedRecords: number;
  /** Absent until the first batch completes. */
  lastBatch?: StreamBatchReport;
  /** Why the stream failed. */
  error?: string;
}

export type StreamReporterLogLevel = 'debug' | 'warn';

export interface StreamReporterOptions {
  /** The master's host:port. */
  master: string;
  secret?: string;
  /** Speak TLS to the master, trusting `tls.ca` (the system's roots when absent). */
  tls?: ClientTls;
  /**
   * Where failures go; default: warnings to stderr as "gleam: ...", debug lines too when
   * GLEAM_LOG_LEVEL is debug or trace.
   */
  log?: (level: StreamReporterLogLevel, message: string) => void;
}

/** After close() cancels a call, its callback is awaited this long at most. */
const CANCEL_WAIT_MS = 200;
/** A report call gets this long (a hung master must not hold the next report for ever). */
const REPORT_DEADLINE_MS = 5000;
/** close() waits this long at most for the last reports to go out. */
const CLOSE_DEADLINE_MS = 2000;
/** Distinct failure messages remembered (a bound, in case a master answers with ever new texts). */
const MAX_LOGGED_MESSAGES = 64;

function defaultLog(level: StreamReporterLogLevel, message: string): void {
  if (level === 'debug' && !/^(debug|trace)$/i.test(process.env.GLEAM_LOG_LEVEL ?? '')) return;
  process.stderr.write(`gleam: ${message}\n`);
}

function toWire(r: StreamReport): WireStreamReport {
  return { ...r, lastBatch: r.lastBatch ? { ...r.lastBatch } : null, error: r.error ?? '' };
}

export class StreamReporter {
  private readonly opts: StreamReporterOptions;
  private readonly client: MasterClient;
  // Loaded once here: a callback must not load modules (nor fail doing so).
  private readonly proto = proto();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  private readonly describe: typeof describeGrpcError = (require('./grpcErrors') as typeof import('./grpcErrors')).describeGrpcError;
  /** The newest unsent report of each stream, in the order streams first waited. */
  private readonly pending = new Map<string, WireStreamReport>();
  private inFlight: grpc.ClientUnaryCall | undefined;
  /** Failure messages already logged since reports last went through. */
  private readonly logged = new Set<string>();
  private closing: Promise<void> | undefined;
  /** Resolves close()'s wait once nothing is pending or in flight. */
  private onIdle: (() => void) | undefined;

  constructor(opts: StreamReporterOptions) {
    this.opts = opts;
    this.client = this.proto.createMasterClient(opts.master, opts.tls);
  }

  /** Sends the report soon; never throws, never waits. Reports after close() are dropped. */
  report(r: StreamReport): void {
    try {
      if (this.closing) return;
      // A copy: the caller may keep mutating its figures while the report waits.
      this.pending.delete(r.streamId);
      this.pending.set(r.streamId, toWire(r));
      if (!this.inFlight) this.sendNext();
    } catch (e) {
      this.logOnce('warn', `cannot report stream ${r?.streamId} to the master at ${this.opts.master}: ${(e as Error)?.message ?? e}`);
    }
  }

  /** Sends what is still pending (2 s at most), then closes the client. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.idle(CLOSE_DEADLINE_MS);
      if (this.inFlight) {
        // Past the deadline: what is left is dropped, like any lost report.
        this.pending.clear();
        this.inFlight.cancel();
        await this.idle(CANCEL_WAIT_MS);
      }
      this.client.close();
    })();
    return this.closing;
  }

  /** Resolves once nothing is pending or in flight, or after `ms`. */
  private idle(ms: number): Promise<void> {
    if (!this.inFlight && !this.pending.size) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      this.onIdle = done;
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => (this.onIdle = undefined));
  }

  private sendNext(): void {
    const next = this.pending.entries().next();
    if (next.done) {
      this.inFlight = undefined;
      this.onIdle?.();
      return;
    }
    const [streamId, report] = next.value;
    this.pending.delete(streamId);
    try {
      this.inFlight = this.client.ReportStream(report, this.proto.callMetadata(this.opts.secret), { deadline: Date.now() + REPORT_DEADLINE_MS }, (err) => {
        try {
          if (err) this.failed(err);
          else this.succeeded();
        } catch {
          // Telling of a failure must not fail the driver (this runs in a gRPC callback).
        }
        this.sendNext();
      });
    } catch (e) {
      // The report could not even be encoded: drop it, go on with the next.
      this.logOnce('warn', `cannot report stream ${streamId} to the master at ${this.opts.master}: ${(e as Error).message}`);
      this.sendNext();
    }
  }

  private succeeded(): void {
    if (this.logged.size === 0) return;
    this.logged.clear();
    this.say('debug', `stream reports reach the master at ${this.opts.master} again`);
  }

  private failed(err: grpc.ServiceError): void {
    const g = this.proto.grpc;
    // Closing cancels what did not make it in time: nothing to tell.
    if (err.code === g.status.CANCELLED && this.closing) return;
    const why = this.describe(err, this.opts.tls !== undefined);
    // A master down or restarting only delays the figures; a refusal or an old master is a setting to fix.
    const transient = err.code === g.status.UNAVAILABLE || err.code === g.status.DEADLINE_EXCEEDED || err.code === g.status.CANCELLED;
    const what = err.code === g.status.UNIMPLEMENTED ? 'does not take stream reports (an older master)' : 'did not take a stream report';
    this.logOnce(transient ? 'debug' : 'warn', `the master at ${this.opts.master} ${what}: ${why}`);
  }

  private logOnce(level: StreamReporterLogLevel, message: string): void {
    if (this.logged.has(message) || this.logged.size >= MAX_LOGGED_MESSAGES) return;
    this.logged.add(message);
    this.say(level, message);
  }

  private say(level: StreamReporterLogLevel, message: string): void {
    try {
      (this.opts.log ?? defaultLog)(level, message);
    } catch {
      // A failing logger must not fail the stream either.
    }
  }
}
