// `npm run bench` (bench/all): the tree measurement on real processes, and the harness end to
// end at a tiny scale (real gleam runs, real LC_ALL=C sort, real pandas when installed).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { measure } = require(path.join(root, 'bench', 'all', 'measure.js')) as {
  measure(name: string, cmd: string, opts?: { env?: Record<string, string> }): Promise<{ wall: number; cpu: number | null; rss: number }>;
};

/** A node process that holds `mb` MB of touched memory for `ms` and reads its stdin to the end. */
const holder = (mb: number, ms: number) =>
  `${JSON.stringify(process.execPath)} -e "const b = Buffer.alloc(${mb}e6, 1); process.stdin.resume(); setTimeout(() => { b[0] = 2; process.exit(0); }, ${ms})"`;

describe('bench/all measure', () => {
  test('one process: peak RSS covers what it touched, CPU and wall are counted', async () => {
    const t = await measure('holder', `${holder(150, 300)} < /dev/null`);
    expect(t.rss).toBeGreaterThan(150e6);
    expect(t.rss).toBeLessThan(400e6);
    expect(t.cpu).toBeGreaterThan(0);
    expect(t.wall).toBeGreaterThan(0.3);
  });

  test('a pipeline: the peak is the sum over processes that run at the same time', async () => {
    const t = await measure('pipeline', `echo | ${holder(100, 1500)} | ${holder(100, 1500)}`);
    expect(t.rss).toBeGreaterThan(200e6);
  });

  test('a failing command rejects naming the step and showing its output', async () => {
    await expect(measure('the failing step', 'echo why >&2; exit 3')).rejects.toThrow(/the failing step failed \(exit 3\)[\s\S]*why/);
  });
});

describe('npm run bench at a tiny scale', () => {
  test('sort and join run alternately, are verified, and print one table', () => {
    const pandas = spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
    const only = pandas ? 'sort,join' : 'sort';
    const r = spawnSync(process.execPath, ['bench/all/run.js', '--scale', '0.001', '--runs', '2', '--only', only], { cwd: root, encoding: 'utf8', timeout: 150000 });
    expect(r.stderr).not.toMatch(/bench\/all\/run\.js:/);
    expect(r.status).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(rows[0]).toMatch(/^\| job \| tool \| wall s \| CPU s \| peak RSS MB \|/);
    const sortRow = rows.find((l) => l.includes('LC_ALL=C sort'));
    expect(sortRow).toMatch(/✓ byte-identical/);
    // ours ÷ baseline for wall, CPU and RSS ("n/a" when the baseline's CPU rounds to 0).
    expect(sortRow).toMatch(/\d+\.\d\d× \| (\d+\.\d\d×|n\/a) \| \d+\.\d\d× \|/);
    if (pandas) expect(rows.find((l) => l.includes('pandas merge'))).toMatch(/✓ same \d+ rows/);
    // Alternating: ours and the baseline take turns, run by run.
    const order = r.stderr.split('\n').filter((l) => /run \d\/2 sort/.test(l)).map((l) => (l.includes('gleam') ? 'A' : 'B'));
    expect(order.join('')).toBe('ABAB');
  }, 180000);
});
