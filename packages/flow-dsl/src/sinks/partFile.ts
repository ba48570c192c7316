// The part-NNNNN file a file sink is writing for one partition, under the sink's temporary
// directory: opened at the start of a partition (again on a restart), ended at its end.
import { createWriteStream, type WriteStream } from 'node:fs';
import * as path from 'node:path';

export class PartFile {
  private current: WriteStream | undefined;

  constructor(private readonly dir: string) {}

  /** Opens partition p's file (truncating a restarted one); returns its name. */
  open(p: number): string {
    const name = `part-${String(p).padStart(5, '0')}`;
    this.current = createWriteStream(path.join(this.dir, name));
    return name;
  }

  get stream(): WriteStream {
    return this.current!;
  }

  /** Resolves once the file's bytes are flushed; rejects on a write error. */
  close(): Promise<void> {
    const s = this.current!;
    this.current = undefined;
    return new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.end(() => resolve());
    });
  }

  /** Drops the file being written (a failed job); resolves once its descriptor is closed. */
  async destroy(): Promise<void> {
    const s = this.current;
    this.current = undefined;
    if (!s || s.closed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }
}
