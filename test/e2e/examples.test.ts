// The example scripts run as users run them (ts-node and `gleam run`) and agree with Unix tools.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gleam, repoRoot, sh, tsNode } from '../helpers/runNode';

const sample = path.join(repoRoot, 'examples', 'data', 'sample.txt');
const records = path.join(repoRoot, 'examples', 'data', 'records.txt');

function parseCounts(text: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const uniq = /^\s*(\d+) (.*)$/.exec(line);
    if (uniq) m.set(uniq[2], Number(uniq[1]));
    else {
      const [w, c] = line.split('\t');
      m.set(w, Number(c));
    }
  }
  return m;
}

describe('examples', () => {
  let unixCounts: Map<string, number>;
  beforeAll(async () => {
    const r = await sh(`tr -cs A-Za-z '\\n' < ${sample} | grep -v '^$' | sort | uniq -c`);
    unixCounts = parseCounts(r.stdout);
    expect(unixCounts.size).toBeGreaterThan(10);
  });

  test('wordcount.ts with ts-node equals tr | sort | uniq -c, most frequent first', async () => {
    const r = await tsNode(['examples/wordcount.ts']);
    expect(r.stderr).toBe('');
    expect(parseCounts(r.stdout)).toEqual(unixCounts);
    const counts = r.stdout.trim().split('\n').map((l) => Number(l.split('\t')[1]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  test('wordcount.ts with gleam run over several partitions gives the same counts', async () => {
    const r = await gleam(['run', 'examples/wordcount.ts', '--executors', '2', '--partitions', '3']);
    expect(r.stderr).toBe('');
    expect(parseCounts(r.stdout)).toEqual(unixCounts);
  });

  test('pipe.ts (flatMap -> sort -> uniq -c) equals the Unix pipeline', async () => {
    for (const r of [await tsNode(['examples/pipe.ts']), await gleam(['run', 'examples/pipe.ts'])]) {
      expect(r.stderr).toBe('');
      expect(parseCounts(r.stdout)).toEqual(unixCounts);
    }
  });

  test('sort.ts output equals LC_ALL=C sort of the records', async () => {
    const unix = await sh(`sort ${records}`);
    for (const r of [await tsNode(['examples/sort.ts']), await gleam(['run', 'examples/sort.ts', records, '3'])]) {
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(unix.stdout);
    }
  });

  test('topk.ts prints the k most frequent words, largest first', async () => {
    const lower = await sh(`tr -cs A-Za-z '\\n' < ${sample} | tr A-Z a-z | grep -v '^$' | sort | uniq -c | sort -k1,1nr | head -5`);
    const expected = [...parseCounts(lower.stdout).values()];
    for (const r of [await tsNode(['examples/topk.ts', sample, '5']), await gleam(['run', 'examples/topk.ts', sample, '5'])]) {
      expect(r.stderr).toBe('');
      const lines = r.stdout.trim().split('\n');
      expect(lines).toHaveLength(5);
      expect(lines.map((l) => Number(l.split('\t')[1]))).toEqual(expected);
    }
  });

  test('a driver script anywhere in the repository can import @gleam/flow-dsl', async () => {
    const dir = fs.mkdtempSync(path.join(repoRoot, 'test', '.gleam-tmp-'));
    try {
      fs.writeFileSync(path.join(dir, 'nested.ts'), `import { Flow } from '@gleam/flow-dsl';\nnew Flow('n').ints([1, 2, 3]).map((x: number) => x * 2).printf('%d\\n').run({ executors: 1 });\n`);
      const r = await tsNode([path.join(dir, 'nested.ts')]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('2\n4\n6\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('gleam --version says whether the native msgpack decoder loaded', async () => {
    const r = await gleam(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gleam \d+\.\d+\.\d+ \(node v\d+\.\d+\.\d+\)\n$/);
  });

  test('words of a big generated file: multi-partition counts equal the Unix pipeline', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-big-'));
    try {
      const file = path.join(dir, 'words.txt');
      const letters = (i: number) => { let w = ''; do { w += String.fromCharCode(97 + (i % 26)); i = Math.floor(i / 26); } while (i > 0); return w; };
      const vocab = Array.from({ length: 3000 }, (_, i) => letters((i * 7919) % 3001));
      let text = '';
      let seed = 42;
      for (let i = 0; i < 60000; i++) {
        const n = 3 + (i % 9);
        const ws: string[] = [];
        for (let j = 0; j < n; j++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          ws.push(vocab[(seed >>> 8) % vocab.length]);
        }
        text += `${ws.join(' ')}\n`;
      }
      fs.writeFileSync(file, text);
      const unix = parseCounts((await sh(`tr -cs A-Za-z '\\n' < ${file} | grep -v '^$' | sort | uniq -c`, { timeoutMs: 60000 })).stdout);
      const r = await gleam(['run', 'examples/wordcount.ts', file, '--executors', '2', '--partitions', '4']);
      expect(r.stderr).toBe('');
      expect(parseCounts(r.stdout)).toEqual(unix);
      expect(unix.size).toBeGreaterThan(1000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
