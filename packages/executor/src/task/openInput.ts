import { constants, promises as fsp, type Stats } from 'node:fs';
import { GleamError } from '../errors';

/** What a path is when it is not a regular file that file sources can split and re-read, or undefined. */
export function specialFileKind(st: Stats): string | undefined {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return undefined;
}

/** The error for a file source's input that is not a regular file. */
export function notRegularFileError(step: string, path: string, kind: string): GleamError {
  const source = step.split('#')[0];
  return new GleamError(`step "${step}": ${path} is ${kind}; ${source} reads regular files — use source() to read a stream`, step);
}

/**
 * Opens an input file, or fails with a message naming the step and the file. O_NONBLOCK: a FIFO
 * that slipped past planning must not block the open until a writer comes; it is refused instead.
 */
export async function openInput(path: string, step: string): Promise<fsp.FileHandle> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new GleamError(`step "${step}": cannot read input file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, step);
  }
  const kind = specialFileKind(await fh.stat());
  if (kind !== undefined) {
    await fh.close();
    throw notRegularFileError(step, path, kind);
  }
  return fh;
}
