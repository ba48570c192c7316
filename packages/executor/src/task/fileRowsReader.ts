// File sources whose rows are not plain lines or CSV records: saved object files (length-
// prefixed row frames, types intact), JSON lines (one value per line, a split at a time, .gz read
// whole) and whole text files ([path, content], a task reads its list of files).
import { StringDecoder } from 'node:string_decoder';
import { decodeRows, type Row } from '../codec/rowCodec';
import { LengthPrefixedParser } from '../codec/lengthPrefixed';
import { GleamError } from '../errors';
import type { FileRowsInput } from '../plan/taskSpec';
import { fileChunks } from './fileChunks';
import { openInput } from './openInput';
import { readTextSplit } from './textSplitReader';

const CHUNK = 1024 * 1024;

type OnRows = (rows: Row[]) => void | Promise<void>;

export function isFileRowsInput(input: { kind: string }): input is FileRowsInput {
  return input.kind === 'objectFile' || input.kind === 'jsonLines' || input.kind === 'wholeTextFiles';
}

export function readFileRows(input: FileRowsInput, onRows: OnRows, shouldStop: () => boolean): Promise<void> {
  switch (input.kind) {
    case 'objectFile':
      return readObjectFile(input.path, input.step, onRows, shouldStop);
    case 'jsonLines':
      return readJsonLines(input.path, input.start, input.end, input.step, onRows, shouldStop);
    case 'wholeTextFiles':
      return readWholeTextFiles(input.paths, input.step, onRows, shouldStop);
  }
}

/** The rows of one part file written by saveAsObjectFile, frame by frame. */
async function readObjectFile(path: string, step: string, onRows: OnRows, shouldStop: () => boolean): Promise<void> {
  const fh = await openInput(path, step);
  const corrupt = (cause: string) => new GleamError(`step "${step}": ${path} is not a valid object file: ${cause}`, step);
  try {
    const parser = new LengthPrefixedParser();
    for await (const chunk of fileChunks(fh, path, step, Buffer.allocUnsafe(CHUNK))) {
      if (shouldStop()) return;
      let frames: Uint8Array[];
      try {
        frames = parser.push(chunk);
      } catch (e) {
        throw corrupt((e as Error).message);
      }
      for (const frame of frames) {
        let rows: Row[];
        try {
          rows = decodeRows(frame);
        } catch (e) {
          throw corrupt(`a frame cannot be decoded (${(e as Error).message})`);
        }
        const p = onRows(rows);
        if (p) await p;
      }
    }
    if (parser.hasPartial) throw corrupt('it ends in the middle of a frame (a truncated file)');
  } finally {
    await fh.close();
  }
}

/** One row [value] per non-empty line; a line that is not JSON fails naming the file and line. */
async function readJsonLines(path: string, start: number, end: number, step: string, onRows: OnRows, shouldStop: () => boolean): Promise<void> {
  let index = 0; // lines of this split seen before the current batch
  await readTextSplit(path, start, end, step, async (lines) => {
    const rows: Row[] = [];
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i];
      // A UTF-8 byte order mark (some editors write one) is not part of the first value.
      if (start === 0 && index + i === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      if (line.trim() === '') continue;
      try {
        rows.push([JSON.parse(line)]);
      } catch (e) {
        const lineNo = (await linesBefore(path, start, step)) + index + i + 1;
        throw new GleamError(`step "${step}": bad JSON at ${path}:${lineNo}: ${(e as Error).message}`, step);
      }
    }
    index += lines.length;
    if (rows.length > 0) await onRows(rows);
  }, shouldStop);
}

/** Lines of the file before the split that starts at byte `start` (its first line starts after the first '\n' at or after start - 1). */
async function linesBefore(path: string, start: number, step: string): Promise<number> {
  if (start === 0) return 0;
  const fh = await openInput(path, step);
  try {
    let n = 0;
    for await (const chunk of fileChunks(fh, path, step, Buffer.allocUnsafe(CHUNK), 0, start - 1)) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
    }
    return n + 1;
  } finally {
    await fh.close();
  }
}

/** [path, content] per file, content decoded as UTF-8 (a .gz file decompressed). */
async function readWholeTextFiles(paths: string[], step: string, onRows: OnRows, shouldStop: () => boolean): Promise<void> {
  const buf = Buffer.allocUnsafe(CHUNK);
  for (const path of paths) {
    if (shouldStop()) return;
    const fh = await openInput(path, step);
    let content = '';
    try {
      const decoder = new StringDecoder('utf8');
      for await (const chunk of fileChunks(fh, path, step, buf)) content += decoder.write(chunk);
      content += decoder.end();
    } finally {
      await fh.close();
    }
    const p = onRows([[path, content]]);
    if (p) await p;
  }
}
