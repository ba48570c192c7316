// pipe(cmd): every partition streams through `sh -c cmd` as tab-separated lines; each output
// line is a row of string fields split on tabs (an empty line is ['']).
// pipeAsArgs(cmd): one `sh -c cmd` per row with $1..$n replaced by the row's (quoted) fields.
import { Flow } from '@gleam/flow-dsl';
import { EXECUTORS, range, runAll } from './helpers';

jest.setTimeout(30000);

describe.each(EXECUTORS)('pipe (%i executors)', (executors) => {
  test('rows go in as tab-separated lines and come back as rows of string fields', async () => {
    const f = new Flow('pipe cat');
    const out = await runAll(f, {
      cat: f.slices<unknown[]>([['a', 1], ['b', 2.5, true], ['c'], ['d', null, { k: [1] }], ['e', 12n]], 2).pipe('cat'),
      emptyLines: f.strings(['x', '', 'y', ''], 3).pipe('cat'),
      upper: f.strings(['abc', 'Déjà vu'], 2).pipe('tr a-z A-Z'),
      thenMap: f.ints(range(5), 2).pipe('cat').map((s: string) => Number(s) * 2),
      addsFields: f.strings(['k v'], 1).pipe("awk '{ print $1 \"\\t\" $2 \"\\t\" length($0) }'"),
    }, { executors });
    expect(out.cat).toEqual([['a', '1'], ['b', '2.5', 'true'], ['c'], ['d', '', '{"k":[1]}'], ['e', '12']]);
    expect(out.emptyLines).toEqual([['x'], [''], ['y'], ['']]);
    expect(out.upper).toEqual([['ABC'], ['DéJà VU']]);
    expect(out.thenMap).toEqual([[0], [2], [4], [6], [8]]);
    expect(out.addsFields).toEqual([['k', 'v', '3']]);
  });

  test('the command runs once per partition, over that partition\'s rows', async () => {
    const f = new Flow('pipe per partition');
    const letters = f.strings(['c', 'a', 'b', 'f', 'e', 'd'], 2); // [c a b] [f e d]
    const out = await runAll(f, {
      count: letters.pipe("awk 'END { print NR }'"),
      sortEach: letters.pipe('LC_ALL=C sort'),
      afterShuffle: f.ints(range(10)).map((n: number) => [n % 2, n]).partition(2).pipe("awk 'END { print NR }'"),
    }, { executors });
    expect(out.count).toEqual([['3'], ['3']]);
    expect(out.sortEach).toEqual([['a'], ['b'], ['c'], ['d'], ['e'], ['f']]);
    expect(out.afterShuffle.map((r) => Number(r[0])).reduce((a, b) => a + b, 0)).toBe(10);
  });
});

describe('pipe edge cases', () => {
  test('an empty dataset through cat gives no rows; output without a final newline still counts as a line', async () => {
    const f = new Flow('pipe empty');
    const out = await runAll(f, {
      empty: f.strings([], 2).pipe('cat'),
      noFinalNewline: f.strings(['x'], 1).pipe("printf 'one\\ttwo\\nlast'"),
    }, { executors: 2 });
    expect(out.empty).toEqual([]);
    expect(out.noFinalNewline).toEqual([['one', 'two'], ['last']]);
  });

  test('a command that fails rejects the run with the step name and exit code', async () => {
    const ds = new Flow('pipe fails').strings(['a']).pipe('cat >/dev/null; echo oops >&2; exit 3');
    await expect(ds.collect({ executors: 1 })).rejects.toThrow(/pipe#2.*code 3.*oops/s);
  });

  test('many rows stream through with back pressure and keep their order', async () => {
    const rows = await new Flow('pipe many').ints(range(50000), 2).map((n: number) => [n, `r${n}`]).pipe('cat').collect({ executors: 2 });
    expect(rows.length).toBe(50000);
    expect(rows[0]).toEqual(['0', 'r0']);
    expect(rows[49999]).toEqual(['49999', 'r49999']);
    expect(rows.every((r, i) => r[0] === String(i))).toBe(true);
  });
});

describe.each(EXECUTORS)('pipeAsArgs (%i executors)', (executors) => {
  test('runs the command once per row with $1..$n replaced by the fields, taken literally', async () => {
    const f = new Flow('pipeAsArgs');
    const out = await runAll(f, {
      echo: f.slices<unknown[]>([['a b', 1], ["it's", 2], ['$HOME', 3], ['x;y', 4]], 2).pipeAsArgs('echo $1-$2'),
      quoted: f.slices([['a b', 'c']], 1).pipeAsArgs('echo "[$1]" \'<$2>\''),
      tabs: f.slices([['k', 'v']], 1).pipeAsArgs("printf '%s\\t%s\\n' $2 $1"),
      lines: f.ints([2, 3], 2).pipeAsArgs('seq $1'),
      missing: f.strings(['only']).pipeAsArgs('echo "[$1][$2]"'),
      silent: f.strings(['a', 'b']).pipeAsArgs('true'),
    }, { executors });
    expect(out.echo).toEqual([['a b-1'], ["it's-2"], ['$HOME-3'], ['x;y-4']]);
    expect(out.quoted).toEqual([['[a b] <c>']]);
    expect(out.tabs).toEqual([['v', 'k']]);
    expect(out.lines).toEqual([['1'], ['2'], ['1'], ['2'], ['3']]);
    expect(out.missing).toEqual([['[only][]']]);
    expect(out.silent).toEqual([]);
  });
});

test('pipeAsArgs: a failing run rejects the whole run', async () => {
  const ds = new Flow('pipeAsArgs fails').ints([1, 2, 3]).pipeAsArgs('test $1 -ne 2');
  await expect(ds.collect({ executors: 1 })).rejects.toThrow(/pipeAsArgs#2.*code 1/is);
});
