import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CsvParser, readCsvFile } from '../src/task/csvReader';
import { GleamError } from '../src/errors';

// Every test finishes well under this; a hang fails fast instead of waiting for jest's global limit.
const T = 10_000;

let dir: string;
let counter = 0;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csvreader-test-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(content: string | Buffer): string {
  const p = path.join(dir, `f${++counter}.csv`);
  fs.writeFileSync(p, content);
  return p;
}

interface Opts {
  delimiter?: string;
  header?: boolean;
}

async function readWith(file: string, opts: Opts, chunkSize?: number): Promise<{ rows: string[][]; batches: number }> {
  const rows: string[][] = [];
  let batches = 0;
  await readCsvFile(file, { delimiter: opts.delimiter ?? ',', header: opts.header ?? false, step: 'csv#1', chunkSize }, (b) => {
    batches++;
    rows.push(...b);
  }, () => false);
  return { rows, batches };
}

// Chunk sizes 1..7 put a chunk boundary at every byte offset, in every phase.
const CHUNKS = [1, 2, 3, 4, 5, 6, 7, undefined];

/** Parses content with every chunk size (and every two-piece text split) and checks they agree. */
async function parse(content: string | Buffer, opts: Opts = {}): Promise<string[][]> {
  const file = write(content);
  const { rows: expected } = await readWith(file, opts);
  for (const c of CHUNKS) {
    const { rows } = await readWith(file, opts, c);
    expect({ chunk: c, rows }).toEqual({ chunk: c, rows: expected });
  }
  const text = Buffer.isBuffer(content) ? content.toString('utf8') : content;
  for (let k = 0; k <= text.length; k++) {
    const p = new CsvParser(file, opts.delimiter ?? ',', opts.header ?? false, 'csv#1');
    const rows: string[][] = [];
    p.feed(text.slice(0, k), rows);
    p.feed(text.slice(k), rows);
    p.end(rows);
    expect({ split: k, rows }).toEqual({ split: k, rows: expected });
  }
  return expected;
}

/** The error message reading content gives, with the same message for every chunk size. */
async function failure(content: string, opts: Opts = {}): Promise<{ message: string; file: string }> {
  const file = write(content);
  const messages = new Set<string>();
  for (const c of CHUNKS) {
    let err: unknown;
    try {
      await readWith(file, opts, c);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GleamError);
    expect((err as GleamError).step).toBe('csv#1');
    messages.add((err as Error).message);
  }
  expect(messages.size).toBe(1);
  return { message: [...messages][0], file };
}

describe('readCsvFile', () => {
  test('plain records, LF and CRLF line ends, no trailing newline', async () => {
    expect(await parse('a,b,c\n1,2,3\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(await parse('a,b\r\n1,2\r\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(await parse('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(await parse('a,b\r\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(await parse('only')).toEqual([['only']]);
    expect(await parse('')).toEqual([]);
  }, T);

  test('quoted fields hold delimiters, LF and CRLF newlines and doubled quotes', async () => {
    expect(await parse('"a,b",c\n')).toEqual([['a,b', 'c']]);
    expect(await parse('"line1\nline2",x\n"r1\r\nr2",y\r\n')).toEqual([['line1\nline2', 'x'], ['r1\r\nr2', 'y']]);
    expect(await parse('"say ""hi""",""""\n')).toEqual([['say "hi"', '"']]);
    expect(await parse('"a""b""""c"')).toEqual([['a"b""c']]);
    expect(await parse('"x"\r\n"y"')).toEqual([['x'], ['y']]);
  }, T);

  test('empty fields, empty quoted fields and a trailing delimiter', async () => {
    expect(await parse(',,\n')).toEqual([['', '', '']]);
    expect(await parse('a,,b\n"",x,""\n')).toEqual([['a', '', 'b'], ['', 'x', '']]);
    expect(await parse('a,b,\n')).toEqual([['a', 'b', '']]);
    expect(await parse('a,b,')).toEqual([['a', 'b', '']]);
    expect(await parse('a,"",\r\n')).toEqual([['a', '', '']]);
    // A line holding only "" is one empty field, unlike an empty line.
    expect(await parse('""\n\nx\n')).toEqual([[''], ['x']]);
  }, T);

  test('empty lines are skipped (LF and CRLF), anywhere in the file', async () => {
    expect(await parse('\n\na,b\n\r\n\n1,2\n\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(await parse('\r\n')).toEqual([]);
  }, T);

  test('single quotes and spaces are ordinary characters; a lone CR inside a field is kept', async () => {
    expect(await parse("'CLAY COUNTY', x ,a\rb\n")).toEqual([["'CLAY COUNTY'", ' x ', 'a\rb']]);
  }, T);

  test('header: true skips the first record of the file, even a quoted multi-line one', async () => {
    expect(await parse('id,name\n1,a\n2,b\n', { header: true })).toEqual([['1', 'a'], ['2', 'b']]);
    expect(await parse('\n"i\nd",name\r\n1,a', { header: true })).toEqual([['1', 'a']]);
    expect(await parse('id,name\n', { header: true })).toEqual([]);
    expect(await parse('id,name', { header: true })).toEqual([]);
    expect(await parse('', { header: true })).toEqual([]);
  }, T);

  test('other delimiters: tab, semicolon, pipe', async () => {
    expect(await parse('a\tb c\t"x\ty"\n1\t\t2\n', { delimiter: '\t' })).toEqual([['a', 'b c', 'x\ty'], ['1', '', '2']]);
    expect(await parse('a;"b;c";d,e\n', { delimiter: ';' })).toEqual([['a', 'b;c', 'd,e']]);
    expect(await parse('a|b\n', { delimiter: '|' })).toEqual([['a', 'b']]);
  }, T);

  test('UTF-8 multi-byte characters split across chunks decode intact; a byte order mark is dropped', async () => {
    const text = 'ü,€\n"😀,ß","a""😀"\n中文,é\n';
    expect(await parse(text)).toEqual([['ü', '€'], ['😀,ß', 'a"😀'], ['中文', 'é']]);
    expect(await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,x\n1,€')]), { header: true })).toEqual([['1', '€']]);
  }, T);

  test('rows are handed over in one batch per chunk', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${i},"v${i}"`);
    const file = write(lines.join('\n') + '\n');
    const big = await readWith(file, {});
    expect(big.batches).toBe(1);
    expect(big.rows).toHaveLength(1000);
    expect(big.rows[999]).toEqual(['999', 'v999']);
    const small = await readWith(file, {}, 1024);
    expect(small.batches).toBeGreaterThan(5);
    expect(small.rows).toEqual(big.rows);
  }, T);

  test('shouldStop ends the read early', async () => {
    const file = write(Array.from({ length: 100 }, (_, i) => `${i}`).join('\n'));
    const rows: string[][] = [];
    await readCsvFile(file, { delimiter: ',', header: false, step: 'csv#1', chunkSize: 16 }, (b) => {
      rows.push(...b);
    }, () => rows.length >= 10);
    expect(rows.length).toBeGreaterThanOrEqual(10);
    expect(rows.length).toBeLessThan(20);
  }, T);

  test('a missing file names the step and the path', async () => {
    await expect(readWith(path.join(dir, 'nope.csv'), {})).rejects.toThrow(/step "csv#1": cannot read input file .*nope\.csv: no such file/);
  }, T);
});

describe('malformed input names the step, file:line and the cause', () => {
  test('an unterminated quoted field reports the line its quote opened on', async () => {
    const { message, file } = await failure('a,b\nc,"d\ne\nf');
    expect(message).toBe(`step "csv#1": malformed CSV at ${file}:2: unterminated quoted field (its opening quote is on this line; no closing quote before the end of the file)`);
    expect((await failure('"')).message).toContain(':1: unterminated quoted field');
    expect((await failure('x\r\n\r\n"a""\n')).message).toContain(':3: unterminated quoted field');
  }, T);

  test('a character after a closing quote', async () => {
    const { message, file } = await failure('x,y\n"ab"c,d\n');
    expect(message).toBe(`step "csv#1": malformed CSV at ${file}:2: unexpected character "c" after a closing quote (expected the delimiter or a line end)`);
    // after a multi-line quoted field, the line is where the bad character is
    expect((await failure('"a\nb" ,c\n')).message).toContain(`:2: unexpected character " " after a closing quote`);
    expect((await failure('"a"\rb\n')).message).toContain(`:1: unexpected character "\\r" after a closing quote`);
  }, T);

  test('a quote inside an unquoted field', async () => {
    const { message, file } = await failure('1,2\n\n3,ab"c\n');
    expect(message).toBe(`step "csv#1": malformed CSV at ${file}:3: a quote inside an unquoted field (quote the whole field and double inner quotes, e.g. "a""b")`);
  }, T);

  test('with a header, a record with another field count reports its first line', async () => {
    const { message, file } = await failure('id,name,n\n1,a,2\n"2\nx",b\n', { header: true });
    expect(message).toBe(`step "csv#1": malformed CSV at ${file}:3: expected 3 fields (as in the header), got 2`);
    expect((await failure('a,b\r\n1,2\r\n1,2,3', { header: true })).message).toContain(':3: expected 2 fields (as in the header), got 3');
  }, T);

  test('without a header, records may have any number of fields', async () => {
    expect(await parse('a\nb,c\n,,\n')).toEqual([['a'], ['b', 'c'], ['', '', '']]);
  }, T);

  test('a bad delimiter is refused', () => {
    for (const d of ['', ',,', '"', '\n', '\r']) expect(() => new CsvParser('f', d, false, 'csv#1')).toThrow(/step "csv#1": the CSV delimiter must be one character/);
  });
});
