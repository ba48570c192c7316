// Jobs running in this process, so that SIGINT / SIGTERM of a driver cancels them cleanly: their
// tasks stop, pipe children are killed, shards deleted and slots released before the process
// exits. The handlers exist only while a job runs: a driver without running jobs keeps Node's
// default behaviour.
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** How long cancelled jobs get to clean up before the process exits anyway. */
const CLEANUP_MS = 5000;

interface CancellableJob {
  cancel(reason: string): void;
  readonly done: Promise<void>;
}

class RunningJobs {
  private readonly jobs = new Set<CancellableJob>();
  private exiting = false;
  private readonly handlers = new Map<string, () => void>();
  /** Running streams: while one runs, a script that listens for the signal decides what stops. */
  private streams = 0;

  /**
   * A stream runs until the returned function is called. Meanwhile a SIGINT / SIGTERM that the
   * script listens for itself does not cancel jobs: the script's handler stops the stream (a
   * graceful stop finishes the batches received). Without such a listener, the signal cancels
   * the jobs and exits as for any job (Spark's default: no graceful stop on shutdown).
   */
  streamRunning(): () => void {
    this.streams++;
    let done = false;
    return () => {
      if (!done) this.streams--;
      done = true;
    };
  }

  add(job: CancellableJob): void {
    this.jobs.add(job);
    if (this.jobs.size === 1) this.install();
  }

  delete(job: CancellableJob): void {
    this.jobs.delete(job);
    if (this.jobs.size === 0 && !this.exiting) this.uninstall();
  }

  private install(): void {
    for (const sig of SIGNALS) {
      const h = () => this.onSignal(sig);
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
  }

  private uninstall(): void {
    for (const [sig, h] of this.handlers) process.off(sig, h);
    this.handlers.clear();
  }

  private onSignal(sig: (typeof SIGNALS)[number]): void {
    const code = sig === 'SIGINT' ? 130 : 143;
    // A second signal while cleaning up: the user wants out now.
    if (this.exiting) process.exit(code);
    if (this.streams > 0 && process.listenerCount(sig) > 1) return;
    this.exiting = true;
    const jobs = [...this.jobs];
    process.stderr.write(`gleam: ${sig}: cancelling ${jobs.length} running job${jobs.length === 1 ? '' : 's'}\n`);
    for (const j of jobs) j.cancel(`interrupted by ${sig}`);
    // Our handler replaced Node's default (exit): exit once the jobs have cleaned up, unless the
    // script handles the signal itself.
    const othersListen = process.listenerCount(sig) > 1;
    let timer: NodeJS.Timeout | undefined;
    void Promise.race([Promise.allSettled(jobs.map((j) => j.done)), new Promise((r) => (timer = setTimeout(r, CLEANUP_MS)))]).then(() => {
      clearTimeout(timer);
      this.exiting = false;
      if (this.jobs.size === 0) this.uninstall();
      if (!othersListen) process.exit(code);
    });
  }
}

export const runningJobs = new RunningJobs();

/** See RunningJobs.streamRunning: call the returned function when the stream has stopped. */
export function streamRunning(): () => void {
  return runningJobs.streamRunning();
}
