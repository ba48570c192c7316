// Sinks add an output step and return the Flow; flow.run() executes every sink:
// printf/fprintf (formatted text), saveAsTextFile (part files), output (driver callback).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { Flow } from '@gleam/flow-dsl';
import { EXECUTORS, range, sorted, tempDir } from './helpers';

jest.setTimeout(30000);

/** A Writable that keeps everything written to it. */
function textSink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** Runs a driver script in a child node process (from the repository root); kills it after timeoutMs. */
function runNode(script: string, timeoutMs: number): Promise<{ stdout: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    let timedOut = false;
    child.stdout.on('data', (c) => (stdout += c));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, timedOut });
    });
  });
}

describe('printf formats', () => {
  test('%s %d %i %f %.Nf %v %j %% apply to the row\'s fields in order', async () => {
    const out = textSink();
    await new Flow('formats')
      .slices([['abc', 42.7, -3.9, 3.14159, 2.5, 'v', { a: [1, 'x'] }, 'j']])
      .fprintf(out.stream, '%s|%d|%i|%f|%.2f|%v|%j|%j|100%%\n')
      .run({ executors: 1 });
    expect(out.text()).toBe('abc|42|-3|3.141590|2.50|v|{"a":[1,"x"]}|"j"|100%\n');
  });

  test('widths pad on the left, a - pads on the right, with precision too; null prints empty, bigint as digits', async () => {
    const pass = new PassThrough();
    const chunks: string[] = [];
    pass.on('data', (c) => chunks.push(c.toString()));
    await new Flow('values')
      .slices<unknown[]>([
        ['ab', 'ab', 7, 7, 3.14159, 3.14159, 'x'],
        [null, true, 12n, 12n, 1, -2.5, [1, 2]],
      ])
      .fprintf(pass, '[%5s][%-5s][%4d][%-4d][%8.3f][%-8.1f][%v]\n')
      .run({ executors: 1 });
    expect(chunks.join('')).toBe(
      '[   ab][ab   ][   7][7   ][   3.142][3.1     ][x]\n' +
      '[     ][true ][  12][12  ][   1.000][-2.5    ][[1,2]]\n',
    );
  });

  test.each(EXECUTORS)('fprintf writes rows in partition order; after a sort in global order (%i executors)', async (executors) => {
    const plain = textSink();
    const ordered = textSink();
    const f = new Flow('printf order');
    const nums = f.parallelize(range(12), 4);
    nums.map((n: number) => [n, n * n]).fprintf(plain.stream, '%d=%d;');
    nums.map((n: number) => [`w${(n * 5) % 12}`, n]).sort({ by: [[2, 'desc']], partitions: 3 }).fprintf(ordered.stream, '%s ');
    await f.run({ executors });
    expect(plain.text()).toBe(range(12).map((n) => `${n}=${n * n};`).join(''));
    expect(ordered.text()).toBe(range(12).reverse().map((n) => `w${(n * 5) % 12} `).join(''));
  });

  test('printf(fmt) writes to stdout', async () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      writes.push(chunk.toString());
      return true;
    }) as typeof process.stdout.write);
    try {
      await new Flow('stdout').strings(['a', 'b']).map((w: string) => [w, w.length]).printf('%s:%d\n').run({ executors: 2 });
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toBe('a:1\nb:1\n');
  });

  test('an unsupported conversion rejects the run', async () => {
    const out = textSink();
    await expect(new Flow('bad format').strings(['a']).fprintf(out.stream, '%x\n').run({ executors: 1 })).rejects.toThrow(/printf/);
  });

  test('an empty dataset prints nothing', async () => {
    const out = textSink();
    await new Flow('empty printf').strings([]).fprintf(out.stream, '%s\n').run({ executors: 2 });
    expect(out.text()).toBe('');
  });
});

describe('saveAsTextFile', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('save')));
  afterAll(() => cleanup());

  const read = (d: string, name: string) => fs.readFileSync(path.join(d, name), 'utf8');

  test.each(EXECUTORS)('one part-NNNNN file per partition (fields tab-separated, one line per row), then _SUCCESS (%i executors)', async (executors) => {
    const out = path.join(dir, `parts-${executors}`);
    await new Flow('save')
      .slices<unknown[]>([['a', 1, true], ['b', 2.5, null], ['c', 3n, { k: [1] }], ['d'], ['e', 'tab\tin'], ['f', '']], 3)
      .saveAsTextFile(out)
      .run({ executors });
    expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001', 'part-00002']);
    expect(read(out, 'part-00000')).toBe('a\t1\ttrue\nb\t2.5\t\n');
    expect(read(out, 'part-00001')).toBe('c\t3\t{"k":[1]}\nd\n');
    expect(read(out, 'part-00002')).toBe('e\ttab\tin\nf\t\n');
    expect(read(out, '_SUCCESS')).toBe('');
  });

  test('empty partitions give empty part files; a shuffle\'s partitions each give one file', async () => {
    const empty = path.join(dir, 'empty');
    const counts = path.join(dir, 'counts');
    const f = new Flow('save shuffle');
    f.ints([], 2).saveAsTextFile(empty);
    f.strings(['x y', 'y z', 'z']).flatMap((l: string) => l.split(' ')).map((w: string) => [w, 1]).reduceBy((a: number, b: number) => a + b, { partitions: 4 }).saveAsTextFile(counts);
    await f.run({ executors: 2 });
    expect(fs.readdirSync(empty).sort()).toEqual(['_SUCCESS', 'part-00000', 'part-00001']);
    expect(read(empty, 'part-00000')).toBe('');
    expect(read(empty, 'part-00001')).toBe('');
    const files = fs.readdirSync(counts).sort();
    expect(files).toEqual(['_SUCCESS', 'part-00000', 'part-00001', 'part-00002', 'part-00003']);
    const lines = files.filter((n) => n.startsWith('part-')).flatMap((n) => read(counts, n).split('\n').filter(Boolean));
    expect(lines.sort()).toEqual(['x\t1', 'y\t2', 'z\t2']);
  });

  test('textFile reads a saved directory back (part files only), and saving again replaces the old part files', async () => {
    const out = path.join(dir, 'round-trip');
    await new Flow('first save').parallelize(range(9), 3).map((n: number) => [n, `v${n}`]).saveAsTextFile(out).run({ executors: 3 });
    expect(await new Flow('read back').textFile(out).collect({ executors: 2 })).toEqual(range(9).map((n) => [`${n}\tv${n}`]));

    await new Flow('second save').strings(['only', 'two']).saveAsTextFile(out).run({ executors: 1 });
    expect(fs.readdirSync(out).sort()).toEqual(['_SUCCESS', 'part-00000']);
    expect(await new Flow('read again').textFile(out).collect({ executors: 1 })).toEqual([['only'], ['two']]);
  });

  test('a failing flow leaves no _SUCCESS and no part files', async () => {
    const out = path.join(dir, 'failed');
    const run = new Flow('fails').ints(range(10), 2).map((n: number) => {
      if (n === 7) throw new Error('boom');
      return n;
    }).saveAsTextFile(out).run({ executors: 2 });
    await expect(run).rejects.toThrow(/boom/);
    const left = fs.existsSync(out) ? fs.readdirSync(out) : [];
    expect(left.filter((n) => n === '_SUCCESS' || n.startsWith('part-'))).toEqual([]);
  });
});

describe('output and run', () => {
  test('output(fn) calls fn in the driver with the row\'s fields as arguments; run() executes every sink of the flow', async () => {
    const f = new Flow('several sinks');
    const seen: unknown[][] = [];
    const counted: unknown[][] = [];
    const text = textSink();
    f.strings(['b a', 'a c']).flatMap((l: string) => l.split(' ')).output((w: string) => {
      seen.push([w]);
    });
    f.strings(['a', 'b', 'a']).map((w: string) => [w, 1, w.toUpperCase()] as [string, number, string]).reduceBy((x: [number, string], y: [number, string]) => [x[0] + y[0], x[1]]).output((w: string, n: number, up: string) => {
      counted.push([w, n, up]);
    });
    const returned = f.ints([1, 2, 3], 2).fprintf(text.stream, '%d,');
    expect(returned).toBe(f);
    await f.run({ executors: 2 });
    expect(seen).toEqual([['b'], ['a'], ['a'], ['c']]);
    expect(sorted(counted)).toEqual([['a', 2, 'A'], ['b', 1, 'B']]);
    expect(text.text()).toBe('1,2,3,');
  });

  // One dataset, two readers in the same run. Run in a child process: if the run never finishes,
  // the child (and its executor threads) is killed and the test fails at once instead of
  // holding jest open.
  test.concurrent.each([
    ['a shuffle (reduceBy)', "words.map((w) => [w, 1]).reduceBy((x, y) => x + y).output((w, n) => out.push(['count', w, n]));",
      [['count', 'a', 2], ['count', 'b', 1], ['count', 'c', 1]]],
    ['a sort', "words.sort().output((w) => out.push(['sorted', w]));",
      [['sorted', 'a'], ['sorted', 'a'], ['sorted', 'b'], ['sorted', 'c']]],
    ['a second, slower sink', "words.output(async (w) => { await new Promise((r) => setTimeout(r, 20)); out.push(['slow', w]); });",
      [['slow', 'b'], ['slow', 'a'], ['slow', 'a'], ['slow', 'c']]],
  ])('a dataset read by a sink and by %s in the same run: both see every row', async (_what, second, expected) => {
    const script = `
      const { Flow } = require('@gleam/flow-dsl');
      const out = [];
      const f = new Flow('shared');
      const words = f.strings(['b a', 'a c']).flatMap((l) => l.split(' '));
      words.output((w) => out.push(['word', w]));
      ${second}
      f.run({ executors: 2 }).then(() => { process.stdout.write(JSON.stringify(out)); process.exit(0); },
        (e) => { process.stdout.write(JSON.stringify([['error', e.message]])); process.exit(1); });`;
    const { stdout, timedOut } = await runNode(script, 6000);
    expect(timedOut ? 'the run did not finish within 6 s' : 'finished').toBe('finished');
    const rows = JSON.parse(stdout) as unknown[][];
    expect(rows.filter((r) => r[0] === 'error')).toEqual([]);
    expect(rows.filter((r) => r[0] === 'word')).toEqual([['word', 'b'], ['word', 'a'], ['word', 'a'], ['word', 'c']]);
    const other = rows.filter((r) => r[0] !== 'word');
    if (expected[0][0] === 'count') expect(sorted(other)).toEqual(expected);
    else expect(other).toEqual(expected);
  });

  test('output receives every field type as it is (bigint, bytes, null, nested values)', async () => {
    const got: unknown[][] = [];
    await new Flow('types out')
      .slices([[5n, new Uint8Array([1, 2]), null, { n: [1] }, -0.5]])
      .output((...fields: unknown[]) => {
        got.push(fields);
      })
      .run({ executors: 1 });
    expect(got).toHaveLength(1);
    const [b, bytes, nul, obj, num] = got[0];
    expect(b).toBe(5n);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes as Uint8Array)).toEqual([1, 2]);
    expect([nul, obj, num]).toEqual([null, { n: [1] }, -0.5]);
  });

  test('run() without a sink rejects, telling to add a sink or call an action', async () => {
    const f = new Flow('no sink');
    f.ints([1]).map((n: number) => n);
    await expect(f.run({ executors: 1 })).rejects.toThrow(/no sink/);
  });
});
