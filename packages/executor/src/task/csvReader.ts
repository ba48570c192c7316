// Reads a whole CSV/TSV file (RFC 4180) as rows of strings. One task reads one file: quoted
// fields may hold newlines, so byte-range splits cannot find record boundaries safely. A .gz
// file is read through gunzip.
import { fileChunks } from './fileChunks';
import { openInput } from './openInput';
import { StringDecoder } from 'node:string_decoder';
import { GleamError } from '../errors';

// 1 MB: a batch's rows die young; 4 MB batches measured twice as slow (rows promoted by the GC).
const CHUNK = 1024 * 1024;

const QUOTE = 34;
const LF = 10;
const CR = 13;

// Parser states (plain numbers: const enums do not survive per-file transpilers).
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Just after a quote inside a quoted field: a doubled quote or the field's end. */
const QUOTE_IN_QUOTED = 3;
/** A '\r' right after a closing quote: only '\n' may follow. */
const AFTER_QUOTE_CR = 4;

export interface CsvReadOptions {
  delimiter: string;
  header: boolean;
  /** The user-facing step name used in errors. */
  step: string;
  /** Bytes read per chunk; tests use tiny chunks to exercise every split point. */
  chunkSize?: number;
}

/** Streams `path` in large chunks and hands its records to onRows, one batch per chunk. */
export async function readCsvFile(
  path: string,
  opts: CsvReadOptions,
  onRows: (rows: string[][]) => void | Promise<void>,
  shouldStop: () => boolean,
): Promise<void> {
  const { step } = opts;
  const fh = await openInput(path, step);
  try {
    const parser = new CsvParser(path, opts.delimiter, opts.header, step);
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(Math.max(1, opts.chunkSize ?? CHUNK));
    let first = true;
    for await (const chunk of fileChunks(fh, path, step, buf)) {
      if (shouldStop()) break;
      let text = decoder.write(chunk);
      if (first && text.length > 0) {
        // A UTF-8 byte order mark (Excel writes one) is not part of the first field.
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const rows: string[][] = [];
      parser.feed(text, rows);
      if (rows.length > 0) {
        const p = onRows(rows);
        if (p) await p;
      }
    }
    if (shouldStop()) return;
    const rows: string[][] = [];
    const rest = decoder.end();
    if (rest.length > 0) parser.feed(first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest, rows);
    parser.end(rows);
    if (rows.length > 0) {
      const p = onRows(rows);
      if (p) await p;
    }
  } finally {
    await fh.close();
  }
}

/** An RFC 4180 state machine fed with decoded text; its state survives chunk boundaries. */
export class CsvParser {
  private readonly delim: number;
  private state = FIELD_START;
  /** The current field's text from earlier chunks (and unescaped quoted content). */
  private field = '';
  private record: string[] = [];
  /** Physical line (1-based) at the parser's position. */
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  /** Field count of the header record; -1 until it is read (or without a header). */
  private headerFields = -1;
  private headerPending: boolean;

  constructor(private readonly path: string, delimiter: string, header: boolean, private readonly step: string) {
    if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new GleamError(`step "${step}": the CSV delimiter must be one character other than '"', '\\n' and '\\r' (got ${JSON.stringify(delimiter)})`, step);
    }
    this.delim = delimiter.charCodeAt(0);
    this.headerPending = header;
  }

  feed(s: string, rows: string[][]): void {
    const n = s.length;
    const delim = this.delim;
    let i = 0;
    let start = 0;
    while (i < n) {
      switch (this.state) {
        case FIELD_START: {
          if (this.record.length === 0) this.recordLine = this.line;
          if (s.charCodeAt(i) === QUOTE) {
            this.state = QUOTED;
            this.quoteLine = this.line;
            this.field = '';
            start = ++i;
            break;
          }
          this.state = UNQUOTED;
          this.field = '';
          start = i;
          break;
        }
        case UNQUOTED: {
          // Slices, not per-character concatenation: scan to the field's end, then cut once.
          for (; i < n; i++) {
            const c = s.charCodeAt(i);
            if (c === delim) {
              this.record.push(this.field + s.slice(start, i));
              this.state = FIELD_START;
              i++;
              break;
            }
            if (c === LF) {
              let v = this.field + s.slice(start, i);
              if (v.length > 0 && v.charCodeAt(v.length - 1) === CR) v = v.slice(0, -1);
              this.endRecord(v, false, rows);
              this.line++;
              this.state = FIELD_START;
              i++;
              break;
            }
            if (c === QUOTE) {
              throw this.error(this.line, `a quote inside an unquoted field (quote the whole field and double inner quotes, e.g. "a""b")`);
            }
          }
          if (this.state === UNQUOTED) this.field += s.slice(start);
          break;
        }
        case QUOTED: {
          const q = s.indexOf('"', i);
          const end = q < 0 ? n : q;
          for (let j = s.indexOf('\n', i); j >= 0 && j < end; j = s.indexOf('\n', j + 1)) this.line++;
          this.field += s.slice(start, end);
          if (q < 0) {
            i = n;
          } else {
            this.state = QUOTE_IN_QUOTED;
            i = q + 1;
          }
          break;
        }
        case QUOTE_IN_QUOTED: {
          const c = s.charCodeAt(i);
          if (c === QUOTE) {
            // "" inside a quoted field is one literal quote
            this.field += '"';
            this.state = QUOTED;
            start = ++i;
          } else if (c === delim) {
            this.record.push(this.field);
            this.state = FIELD_START;
            i++;
          } else if (c === LF) {
            this.endRecord(this.field, true, rows);
            this.line++;
            this.state = FIELD_START;
            i++;
          } else if (c === CR) {
            this.state = AFTER_QUOTE_CR;
            i++;
          } else {
            throw this.error(this.line, `unexpected character ${JSON.stringify(s[i])} after a closing quote (expected the delimiter or a line end)`);
          }
          break;
        }
        case AFTER_QUOTE_CR: {
          if (s.charCodeAt(i) !== LF) {
            throw this.error(this.line, `unexpected character ${JSON.stringify('\r')} after a closing quote (expected the delimiter or a line end)`);
          }
          this.endRecord(this.field, true, rows);
          this.line++;
          this.state = FIELD_START;
          i++;
          break;
        }
      }
    }
  }

  /** End of file: the last record may lack its newline; an open quote is an error. */
  end(rows: string[][]): void {
    switch (this.state) {
      case FIELD_START:
        // "a,b," without a final newline still ends with an empty field
        if (this.record.length > 0) this.endRecord('', false, rows);
        break;
      case UNQUOTED: {
        let v = this.field;
        if (v.length > 0 && v.charCodeAt(v.length - 1) === CR) v = v.slice(0, -1);
        this.endRecord(v, false, rows);
        break;
      }
      case QUOTED:
        throw this.error(this.quoteLine, 'unterminated quoted field (its opening quote is on this line; no closing quote before the end of the file)');
      case QUOTE_IN_QUOTED:
      case AFTER_QUOTE_CR:
        this.endRecord(this.field, true, rows);
        break;
    }
    this.state = FIELD_START;
    this.field = '';
    this.record = [];
  }

  private endRecord(last: string, quoted: boolean, rows: string[][]): void {
    // An empty line is no record (a quoted "" line is a record with one empty field).
    if (this.record.length === 0 && !quoted && last === '') return;
    const rec = this.record;
    rec.push(last);
    this.record = [];
    if (this.headerPending) {
      this.headerPending = false;
      this.headerFields = rec.length;
      return;
    }
    if (this.headerFields >= 0 && rec.length !== this.headerFields) {
      throw this.error(this.recordLine, `expected ${this.headerFields} fields (as in the header), got ${rec.length}`);
    }
    rows.push(rec);
  }

  private error(line: number, cause: string): GleamError {
    return new GleamError(`step "${this.step}": malformed CSV at ${this.path}:${line}: ${cause}`, this.step);
  }
}
