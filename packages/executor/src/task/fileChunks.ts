// The bytes of an input file as chunks: a byte range read in place, or a gzip file (.gz)
// decompressed as a stream (zlib), whole: gzip cannot be entered in the middle, so a .gz file is
// planned as one split. A corrupt or truncated .gz file fails naming the step and the file.
import type { promises as fsp } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { GleamError } from '../errors';

/** Whether a file source reads this path through gunzip (by its name, as Hadoop does). */
export function isGzipPath(path: string): boolean {
  return /\.gz$/i.test(path);
}

/**
 * Chunks of [from, to) of the file, or of its whole decompressed content when it is gzip. A
 * chunk may be a view on `buf`: use it before asking for the next one.
 */
export async function* fileChunks(fh: fsp.FileHandle, path: string, step: string, buf: Buffer, from = 0, to = Infinity): AsyncGenerator<Buffer> {
  if (isGzipPath(path)) {
    yield* gunzipChunks(fh, path, step, Math.min(buf.length, 1024 * 1024));
    return;
  }
  let pos = from;
  while (pos < to) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, to - pos), pos);
    if (bytesRead === 0) return;
    pos += bytesRead;
    yield buf.subarray(0, bytesRead);
  }
}

async function* gunzipChunks(fh: fsp.FileHandle, path: string, step: string, chunkSize: number): AsyncGenerator<Buffer> {
  const raw = fh.createReadStream({ start: 0, autoClose: false, highWaterMark: chunkSize });
  const gunzip = createGunzip({ chunkSize });
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (e) {
    throw new GleamError(`step "${step}": cannot decompress the gzip input file ${path}: ${(e as Error)?.message ?? e} (a corrupt or truncated .gz file)`, step);
  } finally {
    raw.unpipe(gunzip);
    raw.destroy();
    gunzip.destroy();
  }
}
