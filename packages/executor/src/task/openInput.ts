import { promises as fsp } from 'node:fs';
import { GleamError } from '../errors';

/** Opens an input file, or fails with a message naming the step and the file. */
export async function openInput(path: string, step: string): Promise<fsp.FileHandle> {
  try {
    return await fsp.open(path, 'r');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new GleamError(`step "${step}": cannot read input file ${path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`, step);
  }
}
