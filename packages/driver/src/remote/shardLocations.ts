// Where each shard of a job lives (the agent that wrote it). A sink may ask before the
// producer started, so lookups wait; a failed job rejects every waiter.
export class ShardLocations {
  private readonly known = new Map<string, string>();
  private readonly waiters = new Map<string, { resolve: (a: string) => void; reject: (e: Error) => void }[]>();
  private failure: Error | undefined;

  set(shard: string, agent: string): void {
    this.known.set(shard, agent);
    const ws = this.waiters.get(shard);
    if (ws) {
      this.waiters.delete(shard);
      for (const w of ws) w.resolve(agent);
    }
  }

  get(shard: string): string | undefined {
    return this.known.get(shard);
  }

  wait(shard: string, signal: AbortSignal): Promise<string> {
    const a = this.known.get(shard);
    if (a !== undefined) return Promise.resolve(a);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      // The abort listener lives only as long as the wait: a sink waits for thousands of shards.
      const onAbort = () => reject(new Error('job cancelled'));
      const list = this.waiters.get(shard) ?? [];
      list.push({
        resolve: (a) => {
          signal.removeEventListener('abort', onAbort);
          resolve(a);
        },
        reject: (e) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      this.waiters.set(shard, list);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  failAll(e: Error): void {
    this.failure = e;
    for (const ws of this.waiters.values()) for (const w of ws) w.reject(e);
    this.waiters.clear();
  }

  /** Forgets every shard on an agent (it is lost); returns them. Waits for them start again. */
  forgetAgent(agent: string): string[] {
    const gone: string[] = [];
    for (const [shard, a] of this.known) if (a === agent) gone.push(shard);
    for (const s of gone) this.known.delete(s);
    return gone;
  }

  forget(shard: string): void {
    this.known.delete(shard);
  }

  agents(): Set<string> {
    return new Set(this.known.values());
  }
}
