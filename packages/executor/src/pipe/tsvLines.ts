/**
 * Text form of rows for `pipe`: rows go to a command as tab-separated lines and its output
 * lines come back as rows of string fields (DESIGN.md §5 "Pipe", API.md `pipe`).
 */

type Row = unknown[];

/** Decodes bytes fields; one shared decoder because TextDecoder construction is not free. */
const utf8 = new TextDecoder('utf-8');

function bytesToText(v: Uint8Array): string {
  return utf8.decode(v);
}

/** JSON replacer: bigint and bytes have no JSON form of their own, so give them their text. */
function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return bytesToText(v);
  return v;
}

/** How one field becomes text on a command's stdin (numbers are never dropped). */
export function formatField(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'object':
      if (v === null) return '';
      if (v instanceof Uint8Array) return bytesToText(v);
      return JSON.stringify(v, jsonReplacer) ?? '';
    default:
      // functions and symbols are not row values; String() keeps the output total instead of throwing
      return String(v);
  }
}

/** Each row's fields joined by '\t', each row followed by '\n'. Hot path: no per-row arrays. */
export function rowsToTsv(rows: Row[]): string {
  let out = '';
  for (let i = 0; i < rows.length; i++) out += rowToTsv(rows[i]);
  return out;
}

/** One row's fields joined by '\t', followed by '\n'. */
export function rowToTsv(row: Row): string {
  const n = row.length;
  if (n === 1) {
    const a = row[0];
    return (typeof a === 'string' ? a : formatField(a)) + '\n';
  }
  if (n === 2) {
    const a = row[0];
    const b = row[1];
    return (typeof a === 'string' ? a : formatField(a)) + '\t' + (typeof b === 'string' ? b : formatField(b)) + '\n';
  }
  if (n === 0) return '\n';
  let line = formatField(row[0]);
  for (let j = 1; j < n; j++) line += '\t' + formatField(row[j]);
  return line + '\n';
}

/** One output line -> a row of string fields; skipping split() when there is no tab saves an array scan. */
function splitLine(line: string): Row {
  return line.indexOf('\t') === -1 ? [line] : line.split('\t');
}

/**
 * Turns a command's stdout text into rows: one row per '\n'-terminated line, fields split on
 * '\t'. Bytes are kept exactly (a '\r' stays part of the last field); an empty line gives [''];
 * a partial line is carried to the next chunk, and a final line without '\n' still counts.
 */
export class LineSplitter {
  private carry = '';

  push(chunk: string): Row[] {
    const rows: Row[] = [];
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      this.carry += chunk;
      return rows;
    }
    rows.push(splitLine(this.carry.length === 0 ? chunk.slice(0, nl) : this.carry + chunk.slice(0, nl)));
    let start = nl + 1;
    while ((nl = chunk.indexOf('\n', start)) !== -1) {
      rows.push(splitLine(chunk.slice(start, nl)));
      start = nl + 1;
    }
    this.carry = start === chunk.length ? '' : chunk.slice(start);
    return rows;
  }

  end(): Row[] {
    if (this.carry.length === 0) return [];
    const last = this.carry;
    this.carry = '';
    return [splitLine(last)];
  }
}
