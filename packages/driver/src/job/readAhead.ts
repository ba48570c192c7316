// A sink reads partitions in order; on a remote cluster every partition is a network call, so
// the next few partitions are fetched while the current one is consumed (latency hidden, memory
// bounded: each read-ahead holds at most `maxFrames` frames, then waits for room).
export class ReadAhead implements AsyncIterable<Uint8Array> {
  private readonly frames: Uint8Array[] = [];
  private done = false;
  private error: unknown;
  private wake: (() => void) | undefined;
  private room: (() => void) | undefined;

  constructor(source: AsyncIterable<Uint8Array>, private readonly maxFrames: number) {
    void this.pump(source);
  }

  private async pump(source: AsyncIterable<Uint8Array>): Promise<void> {
    try {
      for await (const f of source) {
        this.frames.push(f);
        this.notify();
        while (this.frames.length >= this.maxFrames) await new Promise<void>((r) => (this.room = r));
      }
    } catch (e) {
      this.error = e;
    } finally {
      this.done = true;
      this.notify();
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (;;) {
      if (this.frames.length > 0) {
        const f = this.frames.shift()!;
        const r = this.room;
        this.room = undefined;
        r?.();
        yield f;
        continue;
      }
      if (this.done) {
        if (this.error !== undefined) throw this.error;
        return;
      }
      await new Promise<void>((r) => (this.wake = r));
    }
  }
}
