// The part-NNNNN file a file sink is writing for one partition, under the sink's temporary
// directory: opened at the start of a partition (again on a restart), ended at its end.
// A failed job aborts the sink while its partition reader may still be delivering (the driver
// waits for it only so long): writes after the abort are dropped, and a write error is kept and
// thrown to the next write or close — never an unhandled 'error' event, never a wait for a
// 'drain' that a destroyed stream will not emit.
import { createWriteStream, type WriteStream } from 'node:fs';
import * as path from 'node:path';

export class PartFile {
  private current: WriteStream | undefined;
  private error: Error | undefined;
  private aborted = false;

  constructor(private readonly dir: string) {}

  /** Opens partition p's file (truncating a restarted one); returns its name. */
  open(p: number): string {
    const name = `part-${String(p).padStart(5, '0')}`;
    if (this.aborted) return name;
    const s = createWriteStream(path.join(this.dir, name));
    this.error = undefined;
    s.on('error', (e) => {
      if (this.current === s) this.error ??= e;
    });
    this.current = s;
    return name;
  }

  /** Writes bytes (or text); a Promise when the caller should wait for the file to drain. */
  write(data: string | Uint8Array): void | Promise<void> {
    if (this.error) throw this.error;
    const s = this.current;
    if (!s || data.length === 0) return; // aborted (or nothing to write)
    if (s.write(data)) return;
    return new Promise<void>((resolve, reject) => {
      const done = () => {
        s.off('drain', done);
        s.off('close', done);
        if (this.error && this.current === s) reject(this.error);
        else resolve();
      };
      s.on('drain', done);
      s.on('close', done);
    });
  }

  /** Resolves once the file's bytes are flushed; rejects on a write error. */
  close(): Promise<void> {
    const s = this.current;
    this.current = undefined;
    const error = this.error;
    this.error = undefined;
    if (!s) return Promise.resolve();
    if (error) {
      s.destroy();
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.end(() => resolve());
    });
  }

  /** Drops the file being written (a failed job); resolves once its descriptor is closed. Later writes are dropped. */
  async destroy(): Promise<void> {
    this.aborted = true;
    const s = this.current;
    this.current = undefined;
    if (!s || s.closed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }
}
