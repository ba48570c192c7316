// Drivers' leases on their running jobs: which HoldJob stream speaks for a job and when it last
// beat. A job is watched from its first slot request or report until it finishes; one without a
// stream (yet) is watched from its last slot request, so a driver still asking for slots is alive.

/** The master's side of one HoldJob stream, as the lease book sees it (no gRPC here). */
export interface LeaseStream {
  /** Tells the driver its job is over on the master's side, then ends the stream. */
  cancelled(reason: string): void;
  /** Tells the driver an agent died: what its job held there is lost. */
  agentLost(address: string, reason: string): void;
}

interface Lease {
  /** The stream speaking for the job now (an older stream's end must not lose the job). */
  stream: LeaseStream | undefined;
  /** Last beat on the stream, or last slot request while there is no stream. */
  lastMs: number;
}

/** Why a lease lapsed: the job's driver is lost. */
export interface LapsedLease {
  jobId: string;
  why: string;
}

export class JobLeases {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * A running job the master hears of: watch it. A slot request (`renew`) also renews a lease
   * that has no stream yet; a report does not (reports are progress, not a lease).
   */
  watch(jobId: string, now: number, renew: boolean): void {
    const lease = this.leases.get(jobId);
    if (!lease) this.leases.set(jobId, { stream: undefined, lastMs: now });
    else if (renew && !lease.stream) lease.lastMs = now;
  }

  /** A HoldJob stream named the job: it speaks for the job from now on. */
  open(jobId: string, stream: LeaseStream, now: number): void {
    this.leases.set(jobId, { stream, lastMs: now });
  }

  /** A beat; false when `stream` no longer speaks for the job (a newer one took over). */
  beat(jobId: string, stream: LeaseStream, now: number): boolean {
    const lease = this.leases.get(jobId);
    if (!lease || lease.stream !== stream) return false;
    lease.lastMs = now;
    return true;
  }

  /** True when `stream` spoke for the job (its end is the driver's end). */
  isCurrent(jobId: string, stream: LeaseStream): boolean {
    return this.leases.get(jobId)?.stream === stream;
  }

  stream(jobId: string): LeaseStream | undefined {
    return this.leases.get(jobId)?.stream;
  }

  /** Stops watching a job (it finished); returns the stream that spoke for it, if any. */
  drop(jobId: string): LeaseStream | undefined {
    const lease = this.leases.get(jobId);
    this.leases.delete(jobId);
    return lease?.stream;
  }

  /** Leases silent for longer than the timeout. */
  lapsed(now: number): LapsedLease[] {
    const out: LapsedLease[] = [];
    for (const [jobId, lease] of this.leases) {
      const silent = now - lease.lastMs;
      if (silent <= this.timeoutMs) continue;
      out.push({
        jobId,
        why: lease.stream ? `no beat on its lease for ${silent} ms` : `no lease stream opened within ${this.timeoutMs} ms of its last slot request`,
      });
    }
    return out;
  }

  jobIds(): string[] {
    return [...this.leases.keys()];
  }
}
