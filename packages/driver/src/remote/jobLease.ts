// A driver's lease on its job (HoldJob): one stream to the master, a beat every second, a new
// stream every second while the old one is broken (a restarted master re-creates the job from
// it). The master answers every beat; it says `cancelled` when the job is over on its side
// (`gleam cancel`, or it gave the driver up), and the driver must then stop the job.
import type { ClientTls, grpc, JobBeat, JobNotice__Output, MasterClient } from '@gleam/proto';

/** gRPC and the proto load on first use (exported from the driver's index, which local runs load too). */
function proto(): typeof import('@gleam/proto') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@gleam/proto') as typeof import('@gleam/proto');
}

export interface JobLeaseOptions {
  /** The master's host:port. */
  master: string;
  secret?: string;
  tls?: ClientTls;
  jobId: string;
  jobName: string;
  /** Who holds the lease, e.g. "host:pid" (shown by `gleam jobs`). */
  driver: string;
  /** Beat interval; default 1000 (the master's default driver timeout is 6000). */
  beatMs?: number;
  /** Delay before a broken stream is opened again; default 1000. */
  reconnectMs?: number;
  /** A stream with no answer from the master for this long is broken; default max(5000, 5 beats). */
  answerTimeoutMs?: number;
  /** Called once when the master says the job is cancelled: "cancelled: <reason>" or "driver lost: <why>". */
  onCancelled(reason: string): void;
  /** Called when the master declares an agent dead (its heartbeats stopped): what the job held there is lost. */
  onAgentLost?(address: string, reason: string): void;
  log?: (msg: string) => void;
}

/** How long close() waits for the master to acknowledge the end of the stream. */
const CLOSE_WAIT_MS = 2000;

type LeaseCall = grpc.ClientDuplexStream<JobBeat, JobNotice__Output>;

export class JobLease {
  private readonly client: MasterClient;
  private readonly beatMs: number;
  private readonly answerTimeoutMs: number;
  private call: LeaseCall | undefined;
  private beatTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastAnswerMs = 0;
  private answered = false;
  private everHeld = false;
  private failures = 0;
  private cancelledReason: string | undefined;
  private closing: Promise<void> | undefined;

  private constructor(private readonly opts: JobLeaseOptions) {
    this.client = proto().createMasterClient(opts.master, opts.tls);
    this.beatMs = Math.max(10, opts.beatMs ?? 1000);
    this.answerTimeoutMs = opts.answerTimeoutMs ?? Math.max(5000, 5 * this.beatMs);
  }

  /** Opens the lease (right after AllocateSlots); it holds until close() or a cancel. */
  static open(opts: JobLeaseOptions): JobLease {
    const lease = new JobLease(opts);
    lease.connect();
    return lease;
  }

  /** True while the master answers on the current stream. */
  get held(): boolean {
    return this.answered && this.call !== undefined;
  }

  /** The master's reason, once it said the job is cancelled. */
  get cancelled(): string | undefined {
    return this.cancelledReason;
  }

  /**
   * Ends the lease cleanly; always call it (an open stream keeps the process alive). Report the job's final state (ReportJob) first: a lease closed while
   * the master still sees the job running counts as a lost driver.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stopTimers();
      const call = this.call;
      this.call = undefined;
      if (call) {
        // Half-close, then wait (bounded) for the master's end, so that the master sees a clean end.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, CLOSE_WAIT_MS);
          timer.unref();
          function done(): void {
            clearTimeout(timer);
            resolve();
          }
          call.once('status', done);
          call.once('error', done);
          try {
            call.end();
          } catch {
            done();
          }
        });
        call.cancel();
      }
      this.client.close();
    })();
    return this.closing;
  }

  private connect(): void {
    if (this.closing || this.cancelledReason !== undefined) return;
    const { jobId, jobName, driver } = this.opts;
    const call = this.client.HoldJob(proto().callMetadata(this.opts.secret)) as LeaseCall;
    this.call = call;
    this.answered = false;
    this.lastAnswerMs = Date.now();
    let ended = false;
    const broken = (why: string, code?: number) => {
      if (ended) return;
      ended = true;
      this.stopTimers();
      if (this.call === call) this.call = undefined;
      call.cancel();
      if (this.closing || this.cancelledReason !== undefined) return;
      if (code === proto().grpc.status.UNIMPLEMENTED) {
        // An older master has no leases (it keeps jobs by their reports): nothing to hold.
        this.say(`job ${jobId}: the master at ${this.opts.master} does not support job leases: ${why}`);
        return;
      }
      if (this.answered) this.say(`job ${jobId}: lease on the master at ${this.opts.master} lost (${why}); reconnecting every ${Math.round((this.opts.reconnectMs ?? 1000) / 100) / 10} s`);
      else if (this.failures === 0) this.say(`job ${jobId}: cannot hold a lease on the master at ${this.opts.master} (${why}); retrying`);
      this.answered = false;
      this.failures++;
      this.retryTimer = setTimeout(() => this.connect(), this.opts.reconnectMs ?? 1000);
      this.retryTimer.unref();
    };
    call.on('data', (notice: JobNotice__Output) => {
      this.lastAnswerMs = Date.now();
      if (notice.cancelled) return this.onCancelled(notice.cancelled.reason);
      if (notice.agentLost) {
        try {
          this.opts.onAgentLost?.(notice.agentLost.address, notice.agentLost.reason);
        } catch (e) {
          this.say(`job ${this.opts.jobId}: onAgentLost failed: ${(e as Error).message}`);
        }
      }
      if (!this.answered) {
        this.answered = true;
        if (this.everHeld) this.say(`job ${jobId}: lease on the master at ${this.opts.master} held again`);
        this.everHeld = true;
        this.failures = 0;
      }
    });
    call.on('error', (e: grpc.ServiceError) => broken(e.details || e.message, e.code));
    call.on('end', () => broken('the master ended the stream'));
    const send = (beat: JobBeat) => {
      if (Date.now() - this.lastAnswerMs > this.answerTimeoutMs) return broken(`no answer for ${Date.now() - this.lastAnswerMs} ms`);
      try {
        call.write(beat);
      } catch (e) {
        broken((e as Error).message);
      }
    };
    send({ jobId, jobName, driver });
    // Unref'd: a lease alone must never keep a driver process alive.
    this.beatTimer = setInterval(() => send({}), this.beatMs);
    this.beatTimer.unref();
  }

  private onCancelled(reason: string): void {
    if (this.cancelledReason !== undefined) return;
    this.cancelledReason = reason;
    this.stopTimers();
    this.say(`job ${this.opts.jobId}: ${reason}`);
    try {
      this.opts.onCancelled(reason);
    } catch (e) {
      this.say(`job ${this.opts.jobId}: onCancelled failed: ${(e as Error).message}`);
    }
  }

  private stopTimers(): void {
    clearInterval(this.beatTimer);
    clearTimeout(this.retryTimer);
    this.beatTimer = undefined;
    this.retryTimer = undefined;
  }

  private say(msg: string): void {
    this.opts.log?.(msg);
  }
}
