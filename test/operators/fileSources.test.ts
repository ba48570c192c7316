// File sources of issue 12: object files (typed rows saved and read back), JSON lines, whole text
// files and gzip input, on real files written here, locally and on a real cluster (a master and
// 2 agents as separate processes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Flow, type RunOptions } from '@gleam/flow-dsl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { partitionsOf, range, tempDir } from './helpers';

jest.setTimeout(60000);

const tmp = tempDir('files');
let cluster: TestCluster | undefined;
const flows: Flow[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
}, 60000);

afterAll(async () => {
  for (const f of flows) await f.close();
  await cluster?.stop();
  tmp.cleanup();
}, 30000);

/** A flow closed after the file (a cluster flow keeps its connection until then). */
function flow(name: string): Flow {
  const f = new Flow(name);
  flows.push(f);
  return f;
}

/** Where the flows run: locally with 2 executors, or on the cluster. */
const WHERE = ['local', 'cluster'] as const;
function where(w: (typeof WHERE)[number]): RunOptions {
  if (w === 'local') return { executors: 2 };
  if (!cluster) throw new Error('the cluster did not start');
  return { master: cluster.master };
}

/** A directory for one case (fresh per place it runs). */
function caseDir(name: string): string {
  const d = path.join(tmp.dir, name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/** A text form that tells every type apart: -0 from 0, bigint from number, bytes from arrays. */
function typed(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? 'n:-0' : `n:${v}`;
  if (typeof v === 'bigint') return `b:${v}`;
  if (typeof v === 'string') return `s:${JSON.stringify(v)}`;
  if (v === null || typeof v === 'boolean') return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}[${Array.from(v as Uint8Array).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(typed).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${typed(o[k])}`).join(',')}}`;
  }
  return `?${typeof v}`;
}

const TYPED_ROWS: unknown[][] = [
  [1, -0, 0, NaN, Infinity, -Infinity, 2 ** 53, 0.1, -(2 ** 31) - 1],
  [5n, 0n, -(2n ** 70n), 'ü€😀', '', true, false, null],
  [new Uint8Array([0, 255, 7]), new Uint8Array(0), [1, [2n, [null, 'x', -0]]], { a: { b: [true, -0, new Uint8Array([9])] }, n: null, s: 'y' }],
  [],
  ...range(40).map((i) => [i, `r${i}`, i % 2 === 0]),
];

function gzipFile(file: string, text: string): void {
  fs.writeFileSync(file, zlib.gzipSync(Buffer.from(text)));
}

describe.each(WHERE)('object files (%s)', (w) => {
  test('saveAsObjectFile then objectFile round-trip every type, in order, one part file per partition', async () => {
    const dir = path.join(caseDir(`obj-${w}`), 'saved');
    const f = flow(`objectFile ${w}`);
    // Rows produced by a UDF in the executors and rows from driver memory.
    f.slices(TYPED_ROWS, 3).map((...fields: unknown[]) => fields).saveAsObjectFile(dir);
    await f.run(where(w));
    expect(fs.readdirSync(dir).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001', 'part-00002']);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['saved']); // no temporary directory left

    const g = flow(`objectFile read ${w}`);
    const back = await g.objectFile(dir).collect(where(w));
    expect(back.map(typed)).toEqual(TYPED_ROWS.map(typed));
    const parts = await partitionsOf(g.objectFile(dir)).collect(where(w));
    expect(parts).toHaveLength(3);
    // A glob of part files reads the same rows; the rows go on through operators.
    const globbed = await g.objectFile(path.join(dir, 'part-*')).filter((x: unknown) => typeof x === 'number').collect(where(w));
    expect(globbed.map(typed)).toEqual(TYPED_ROWS.filter((r) => typeof r[0] === 'number').map(typed));
  });

  test('a failing job leaves no output and no temporary directory; an earlier save stays whole', async () => {
    const base = caseDir(`obj-fail-${w}`);
    const dir = path.join(base, 'out');
    const bad = flow(`objectFile fail ${w}`);
    bad.ints(range(10), 2).map((x: number) => {
      if (x === 7) throw new Error('seven');
      return x;
    }).saveAsObjectFile(dir);
    await expect(bad.run(where(w))).rejects.toThrow(/step "map#\d+".*seven/s);
    expect(fs.readdirSync(base)).toEqual([]);

    const good = flow(`objectFile good ${w}`);
    good.ints([1, 2, 3], 2).saveAsObjectFile(dir);
    await good.run(where(w));
    await expect(bad.run(where(w))).rejects.toThrow('seven');
    expect(fs.readdirSync(base)).toEqual(['out']);
    expect(await flow(`objectFile reread ${w}`).objectFile(dir).collect(where(w))).toEqual([[1], [2], [3]]);
  });
});

describe('object file errors', () => {
  test('a missing path, an uncommitted directory, a truncated part file and a directory of other files are refused naming the step', async () => {
    const base = caseDir('obj-errors');
    await expect(flow('missing').objectFile(path.join(base, 'nope')).collect({ executors: 1 })).rejects.toThrow(`step "objectFile#1": input file not found: ${path.join(base, 'nope')}`);

    const dir = path.join(base, 'saved');
    const f = flow('save');
    f.ints(range(100), 1).saveAsObjectFile(dir);
    await f.run({ executors: 1 });
    fs.rmSync(path.join(dir, '_SUCCESS'));
    await expect(flow('uncommitted').objectFile(dir).collect({ executors: 1 })).rejects.toThrow(`step "objectFile#1": ${dir} is not a complete saved dataset (no _SUCCESS`);

    fs.writeFileSync(path.join(dir, '_SUCCESS'), '');
    const part = path.join(dir, 'part-00000');
    fs.truncateSync(part, fs.statSync(part).size - 3);
    await expect(flow('truncated').objectFile(dir).collect({ executors: 1 })).rejects.toThrow(`step "objectFile#1": ${part} is not a valid object file: it ends in the middle of a frame (a truncated file)`);

    const other = caseDir('obj-foreign');
    fs.writeFileSync(path.join(other, 'notes.txt'), 'keep me');
    const g = flow('foreign');
    g.ints([1]).saveAsObjectFile(other);
    await expect(g.run({ executors: 1 })).rejects.toThrow(`step "saveAsObjectFile#2": the output directory ${other} holds files that are not saved rows (notes.txt)`);
    expect(fs.readFileSync(path.join(other, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

const JSON_VALUES: unknown[] = [{ a: 1, b: [true, null] }, [1, 'two', 3.5], 'text', 42, -7.25, true, false, null, { nested: { deep: ['ü€😀'] } }];

describe.each(WHERE)('jsonLines, wholeTextFiles and gzip input (%s)', (w) => {
  test('jsonLines: one row [value] per line, empty lines skipped, CRLF ends, a leading BOM dropped, split files and .gz files, in order', async () => {
    const dir = caseDir(`json-${w}`);
    const lines = JSON_VALUES.map((v) => JSON.stringify(v));
    fs.writeFileSync(path.join(dir, 'a.jsonl'), `\ufeff${lines.slice(0, 4).join('\r\n')}\r\n\n  \n${lines.slice(4).join('\n')}`);
    const many = range(2000).map((i) => ({ i, s: `v${i}` }));
    fs.writeFileSync(path.join(dir, 'b.jsonl'), `${many.map((v) => JSON.stringify(v)).join('\n')}\n`);
    gzipFile(path.join(dir, 'c.jsonl.gz'), `${lines.join('\n')}\n`);
    const f = flow(`json ${w}`);
    const rows = await f.jsonLines(path.join(dir, '*')).collect(where(w));
    expect(rows).toEqual([...JSON_VALUES, ...many, ...JSON_VALUES].map((v) => [v]));
    // Split: b.jsonl in several partitions, the .gz file in one.
    const parts = (await partitionsOf(f.jsonLines(dir, { partitions: 6 })).collect(where(w))) as unknown[][][];
    expect(parts.length).toBeGreaterThanOrEqual(6);
    expect(parts.flatMap((p) => p[0] as unknown[])).toEqual([...JSON_VALUES, ...many, ...JSON_VALUES].map((v) => [v]));
    expect(parts[parts.length - 1][0]).toEqual(JSON_VALUES.map((v) => [v]));
  });

  test('wholeTextFiles: [path, content] per file (a .gz file decompressed), in path order', async () => {
    const dir = caseDir(`whole-${w}`);
    fs.writeFileSync(path.join(dir, 'a.txt'), 'alpha\nbeta\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), '');
    gzipFile(path.join(dir, 'c.txt.gz'), 'gamma ü€😀\r\n');
    fs.writeFileSync(path.join(dir, 'd.txt'), 'x'.repeat(3 * 1024 * 1024));
    fs.writeFileSync(path.join(dir, '_SUCCESS'), '');
    const f = flow(`whole ${w}`);
    const rows = await f.wholeTextFiles(dir).collect(where(w));
    expect(rows).toEqual([
      [path.join(dir, 'a.txt'), 'alpha\nbeta\n'],
      [path.join(dir, 'b.txt'), ''],
      [path.join(dir, 'c.txt.gz'), 'gamma ü€😀\r\n'],
      [path.join(dir, 'd.txt'), 'x'.repeat(3 * 1024 * 1024)],
    ]);
    const parts = (await partitionsOf(f.wholeTextFiles(path.join(dir, '*.txt'), { partitions: 2 }).map((p: string) => [p.slice(p.lastIndexOf('/') + 1)])).collect(where(w))) as unknown[][][];
    expect(parts.map((p) => p[0])).toEqual([[['a.txt']], [['b.txt'], ['d.txt']]]);
  });

  test('textFile, csv and tsv read .gz files transparently, one partition per .gz file', async () => {
    const dir = caseDir(`gz-${w}`);
    const lines = range(30000).map((i) => `line ${i} ${'ü'.repeat(i % 7)}`);
    gzipFile(path.join(dir, 'big.txt.gz'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'plain.txt'), 'p1\np2\n');
    // Two gzip members concatenated (as `cat a.gz b.gz` makes) read as one text.
    fs.writeFileSync(path.join(dir, 'multi.txt.gz'), Buffer.concat([zlib.gzipSync('m1\n'), zlib.gzipSync('m2\n')]));
    const f = flow(`gz ${w}`);
    expect(await f.textFile(path.join(dir, '*.txt*')).collect(where(w))).toEqual([...lines, 'm1', 'm2', 'p1', 'p2'].map((l) => [l]));
    const parts = (await partitionsOf(f.textFile(path.join(dir, 'big.txt.gz'), { partitions: 8 })).collect(where(w))) as unknown[][][];
    expect(parts).toHaveLength(1);
    expect((parts[0][0] as unknown[]).length).toBe(30000);

    gzipFile(path.join(dir, 't.csv.gz'), 'name,note\r\nann,"two\nlines"\nbob,"say ""hi"""\n');
    gzipFile(path.join(dir, 't.tsv.gz'), 'a\tb\nc\td\n');
    expect(await f.csv(path.join(dir, 't.csv.gz'), { header: true }).collect(where(w))).toEqual([['ann', 'two\nlines'], ['bob', 'say "hi"']]);
    expect(await f.tsv(path.join(dir, 't.tsv.gz')).collect(where(w))).toEqual([['a', 'b'], ['c', 'd']]);
  });

  test('a corrupt or truncated .gz file and a bad JSON line fail the step naming the file and the cause', async () => {
    const dir = caseDir(`gz-bad-${w}`);
    const corrupt = path.join(dir, 'corrupt.txt.gz');
    fs.writeFileSync(corrupt, Buffer.from('this is not gzip at all\n'));
    const whole = zlib.gzipSync(Buffer.from(range(5000).map((i) => `row ${i}`).join('\n')));
    const truncated = path.join(dir, 'truncated.csv.gz');
    fs.writeFileSync(truncated, whole.subarray(0, whole.length - 20));
    const f = flow(`gz bad ${w}`);
    await expect(f.textFile(corrupt).collect(where(w))).rejects.toThrow(new RegExp(`step "textFile#\\d+": cannot decompress the gzip input file ${corrupt}: incorrect header check \\(a corrupt or truncated \\.gz file\\)`));
    await expect(f.csv(truncated).collect(where(w))).rejects.toThrow(new RegExp(`step "csv#\\d+": cannot decompress the gzip input file ${truncated}: unexpected end of file`));

    // Line 1507 of the file is bad; with 4 splits it is read by a later split, which still knows its line number.
    const bad = path.join(dir, 'bad.jsonl');
    const json = range(2000).map((i) => (i === 1506 ? '{"i": 1506,' : JSON.stringify({ i })));
    fs.writeFileSync(bad, `${json.join('\n')}\n`);
    await expect(f.jsonLines(bad, { partitions: 4 }).collect(where(w))).rejects.toThrow(new RegExp(`step "jsonLines#\\d+": bad JSON at ${bad}:1507: .*JSON`));
    await expect(f.jsonLines(path.join(dir, 'none*.jsonl')).collect(where(w))).rejects.toThrow(/step "jsonLines#\d+": no input file matches .*none\*\.jsonl/);
  });
});
