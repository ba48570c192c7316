// A sink partition's frames held until the partition was read whole, for sinks that cannot take
// back what they were given (printf, output callbacks): a read that loses its data starts over
// and the frames seen so far are dropped. In memory up to a bound, then in a temporary file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const MEMORY_BYTES = 64 * 1024 * 1024;

export class PartitionBuffer {
  private readonly held: Uint8Array[] = [];
  private heldBytes = 0;
  private file: { path: string; fd: number; lengths: number[] } | undefined;

  add(frame: Uint8Array): void {
    if (!this.file && this.heldBytes + frame.byteLength <= MEMORY_BYTES) {
      this.held.push(frame);
      this.heldBytes += frame.byteLength;
      return;
    }
    if (!this.file) {
      const p = path.join(os.tmpdir(), `gleam-sink-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.part`);
      this.file = { path: p, fd: fs.openSync(p, 'w+'), lengths: [] };
    }
    let done = 0;
    while (done < frame.byteLength) done += fs.writeSync(this.file.fd, frame, done, frame.byteLength - done);
    this.file.lengths.push(frame.byteLength);
  }

  /** The frames in order (those past the memory bound read back from the file one by one). */
  *frames(): Generator<Uint8Array> {
    yield* this.held;
    if (!this.file) return;
    let pos = 0;
    for (const len of this.file.lengths) {
      const buf = Buffer.allocUnsafeSlow(len);
      let got = 0;
      while (got < len) {
        const n = fs.readSync(this.file.fd, buf, got, len - got, pos + got);
        if (n === 0) throw new Error(`sink buffer ${this.file.path} is shorter than what was written to it`);
        got += n;
      }
      pos += len;
      yield new Uint8Array(buf.buffer, buf.byteOffset, len);
    }
  }

  dispose(): void {
    this.held.length = 0;
    if (!this.file) return;
    try {
      fs.closeSync(this.file.fd);
    } finally {
      fs.rmSync(this.file.path, { force: true });
      this.file = undefined;
    }
  }
}
