// textFile inputs: glob expansion and line-boundary splits, planned in the driver.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GleamError, isGzipPath, notRegularFileError, specialFileKind } from '@gleam/executor';

export interface FileSplit {
  path: string;
  start: number;
  end: number;
}

const DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024;
const MIN_SPLIT_BYTES = 1024 * 1024;

/** Files matching a path or glob (`*`, `?`, `[abc]`, `**`), sorted; hidden and `_` files skipped in globs. */
export function expandGlob(pattern: string, step: string): string[] {
  const abs = path.resolve(pattern);
  if (!/[*?[]/.test(pattern)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(abs);
    } catch {
      throw new GleamError(`step "${step}": input file not found: ${pattern}`, step);
    }
    if (st.isDirectory()) return listDataFiles(abs, step, pattern);
    refuseSpecial(abs, st, step);
    return [abs];
  }
  const parts = abs.split(path.sep);
  let base = parts[0] === '' ? path.sep : parts[0];
  let i = 1;
  while (i < parts.length && !/[*?[]/.test(parts[i])) base = path.join(base, parts[i++]);
  const found = walk(base, parts.slice(i), step).sort();
  if (found.length === 0) throw new GleamError(`step "${step}": no input file matches ${pattern}`, step);
  return found;
}

/**
 * A FIFO, socket or device cannot be split, sized or read twice (a retry): refused at plan time
 * rather than read as 0 rows or blocking a task forever on open.
 */
function refuseSpecial(file: string, st: fs.Stats, step: string): void {
  const kind = specialFileKind(st);
  if (kind !== undefined) throw notRegularFileError(step, file, kind);
}

/** Whether a directory entry is a data file (following links); special files are refused. */
function isDataFile(dir: string, e: fs.Dirent, step: string): boolean {
  if (e.isFile()) return true;
  if (e.isDirectory()) return false;
  const p = path.join(dir, e.name);
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return false; // a dangling link
  }
  if (st.isFile()) return true;
  if (!st.isDirectory()) refuseSpecial(p, st, step);
  return false;
}

function listDataFiles(dir: string, step: string, pattern: string): string[] {
  const files = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_') && isDataFile(dir, e, step))
    .map((e) => path.join(dir, e.name))
    .sort();
  if (files.length === 0) throw new GleamError(`step "${step}": the input directory ${pattern} has no data files`, step);
  return files;
}

function walk(dir: string, rest: string[], step: string): string[] {
  if (rest.length === 0) return [];
  const [head, ...tail] = rest;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  if (head === '**') {
    out.push(...walk(dir, tail, step));
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('.')) out.push(...walk(path.join(dir, e.name), rest, step));
    return out;
  }
  const re = globToRegExp(head);
  for (const e of entries) {
    // Names starting with '.' or '_' (markers such as _SUCCESS) are not data unless asked for.
    if (!re.test(e.name) || (e.name.startsWith('.') && !head.startsWith('.')) || (e.name.startsWith('_') && !head.startsWith('_'))) continue;
    const p = path.join(dir, e.name);
    if (tail.length === 0) {
      if (isDataFile(dir, e, step)) out.push(p);
    } else if (e.isDirectory() || e.isSymbolicLink()) out.push(...walk(p, tail, step));
  }
  return out;
}

function globToRegExp(g: string): RegExp {
  let re = '^';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const j = g.indexOf(']', i + 1);
      if (j < 0) re += '\\[';
      else {
        re += `[${g.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = j;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/**
 * Splits files into about `partitions` byte ranges (a file whose stat size is 0, such as a /proc
 * file, is one split that its task reads to the end) (at least one per file, never across files).
 * Without an explicit count the number of splits is a multiple of the executor slots (so no
 * executor idles at the end), with splits of at most 64 MB and at least 1 MB. A .gz file is one
 * split: gzip cannot be entered in the middle.
 */
export function planSplits(files: string[], partitions: number | undefined, slots: number): FileSplit[] {
  const sizes = files.map((f) => fs.statSync(f).size);
  const total = sizes.reduce((a, b) => a + b, 0);
  let splitBytes: number;
  if (partitions !== undefined) splitBytes = Math.max(1, Math.ceil(total / partitions));
  else {
    const rounds = Math.max(1, Math.ceil(total / (slots * DEFAULT_SPLIT_BYTES)));
    splitBytes = Math.max(MIN_SPLIT_BYTES, Math.ceil(total / (slots * rounds)));
  }
  const out: FileSplit[] = [];
  files.forEach((f, i) => {
    const size = sizes[i];
    // A little slack so rounding never adds a tiny extra split to a file.
    const n = isGzipPath(f) ? 1 : Math.max(1, Math.ceil(size / splitBytes - 1e-9));
    for (let k = 0; k < n; k++) {
      out.push({ path: f, start: Math.floor((k * size) / n), end: k === n - 1 ? Math.max(size, 1) : Math.floor(((k + 1) * size) / n) });
    }
  });
  return out;
}
