// A fixed set of ExecutorHosts (one worker thread each, one task group at a time), handed out
// first come, first served: the master never grants more slots than executors, but a queue
// keeps the agent correct if a driver oversubscribes it anyway.
import { ExecutorHost, type TaskMemoryLimits } from '@gleam/executor';
import type { TaskShardAccess } from './taskShardAccess';

export interface PoolSlot {
  readonly host: ExecutorHost;
  readonly access: TaskShardAccess;
}

interface Waiter {
  resolve(slot: PoolSlot): void;
  reject(e: Error): void;
}

export class ExecutorPool {
  private readonly slots: PoolSlot[];
  private readonly free: PoolSlot[];
  private readonly waiters: Waiter[] = [];
  private stopped = false;
  private idleTimer: NodeJS.Timeout | undefined;

  /** idleStopMs: threads of a pool idle this long are stopped (they restart on the next task). */
  constructor(size: number, makeAccess: (index: number) => TaskShardAccess, private readonly idleStopMs = 30000, limits?: TaskMemoryLimits) {
    this.slots = Array.from({ length: size }, (_, i) => {
      const access = makeAccess(i);
      return { host: new ExecutorHost(i, access, { limits }), access };
    });
    this.free = [...this.slots];
  }

  get size(): number {
    return this.slots.length;
  }

  get busy(): number {
    return this.slots.length - this.free.length;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /**
   * Starts every thread now (eager), or none (lazy: threads start on their first task).
   */
  async start(lazy: boolean): Promise<void> {
    if (lazy) return;
    await Promise.all(this.slots.map((s) => s.host.start()));
  }

  /** The next free slot, in arrival order; aborting the signal leaves the queue. */
  acquire(signal?: AbortSignal): Promise<PoolSlot> {
    if (this.stopped) return Promise.reject(new Error('agent is stopping'));
    this.cancelIdleStop();
    const slot = this.waiters.length === 0 ? this.free.shift() : undefined;
    if (slot) return Promise.resolve(slot);
    return new Promise<PoolSlot>((resolve, reject) => {
      const w: Waiter = {
        resolve: (s) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(s);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        w.reject(new Error('cancelled while waiting for an executor'));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(w);
    });
  }

  release(slot: PoolSlot): void {
    slot.access.task = undefined;
    if (this.stopped) return;
    const w = this.waiters.shift();
    if (w) w.resolve(slot);
    else this.free.push(slot);
    if (this.busy === 0) this.scheduleIdleStop();
  }

  // An idle agent gives its executor threads' memory back (an idle agent stays small).
  private scheduleIdleStop(): void {
    this.cancelIdleStop();
    if (this.idleStopMs <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.busy === 0 && !this.stopped) for (const s of this.slots) void s.host.terminate();
    }, this.idleStopMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  cancelAll(): void {
    for (const s of this.slots) if (s.host.busy) s.host.cancel();
  }

  /** Fails queued requests and terminates every thread (running tasks fail). */
  async terminate(): Promise<void> {
    this.stopped = true;
    this.cancelIdleStop();
    for (const w of this.waiters.splice(0)) w.reject(new Error('agent is stopping'));
    await Promise.all(this.slots.map((s) => s.host.terminate()));
  }
}
