import { PipeError, PipeProcess } from '../src/pipe/pipeProcess';
import { runPipeAsArgs, substituteArgs } from '../src/pipe/pipeAsArgs';

type Row = unknown[];

const T = 20000;

interface Result {
  rows: Row[];
  batches: number;
}

/** Feeds rows in batches honouring write()'s back pressure, then ends; collects output rows. */
async function runPipe(
  command: string,
  input: Row[],
  onRows?: (rows: Row[]) => void | Promise<void>,
  batch = 1000,
): Promise<Result> {
  const out: Row[] = [];
  let batches = 0;
  const p = new PipeProcess(command, {
    stepName: 'pipe#1',
    onRows: (rows) => {
      batches++;
      for (const r of rows) out.push(r);
      return onRows?.(rows);
    },
  });
  for (let i = 0; i < input.length; i += batch) {
    const w = p.write(input.slice(i, i + batch));
    if (w) await w;
  }
  await p.end();
  return { rows: out, batches };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('PipeProcess', () => {
  it('passes every field type through cat as text', async () => {
    const bytes = new TextEncoder().encode('bytes ü');
    const { rows } = await runPipe('cat', [
      [1, 2n, null, bytes, true, 'x'],
      [1.5, [1, 'a'], { k: 1n }, undefined, false, 0],
      [''],
    ]);
    expect(rows).toEqual([
      ['1', '2', '', 'bytes ü', 'true', 'x'],
      ['1.5', '[1,"a"]', '{"k":"1"}', '', 'false', '0'],
      [''],
    ]);
  }, T);

  it('sort and uniq -c give their exact output', async () => {
    const words = ['pear', 'apple', 'fig', 'apple', 'pear', 'apple'].map((w) => [w]);
    expect((await runPipe('sort', words)).rows).toEqual([['apple'], ['apple'], ['apple'], ['fig'], ['pear'], ['pear']]);
    expect((await runPipe('sort | uniq -c', words)).rows).toEqual([['      3 apple'], ['      1 fig'], ['      2 pear']]);
  }, T);

  it('awk adds a column; output fields split on tabs', async () => {
    const { rows } = await runPipe(`awk -F'\\t' -v OFS='\\t' '{ print $0, $1 * $2 }'`, [
      [2, 3],
      [4, 5],
    ]);
    expect(rows).toEqual([
      ['2', '3', '6'],
      ['4', '5', '20'],
    ]);
  }, T);

  it('splits tabs, keeps empty lines and empty fields, counts a last line without newline', async () => {
    expect((await runPipe(`printf 'a\\tb\\tc\\n\\n\\tx\\t\\nlast'`, [])).rows).toEqual([
      ['a', 'b', 'c'],
      [''],
      ['', 'x', ''],
      ['last'],
    ]);
    expect((await runPipe('true', [])).rows).toEqual([]);
  }, T);

  it('streams 500k rows through cat in batches, in order', async () => {
    const n = 500_000;
    const input = range(n).map((i) => [i, 'v' + i]);
    const { rows, batches } = await runPipe('cat', input, undefined, 10_000);
    expect(rows.length).toBe(n);
    expect(rows[0]).toEqual(['0', 'v0']);
    expect(rows[n - 1]).toEqual([String(n - 1), 'v' + (n - 1)]);
    for (let i = 0; i < n; i += 49_999) expect(rows[i]).toEqual([String(i), 'v' + i]);
    // one onRows call per stdout chunk, never one per line
    expect(batches).toBeLessThan(n / 100);
  }, T);

  it('head -5 closes stdin early: no EPIPE, exactly 5 rows', async () => {
    const input = range(500_000).map((i) => [i]);
    const { rows } = await runPipe('head -5', input, undefined, 10_000);
    expect(rows).toEqual([['0'], ['1'], ['2'], ['3'], ['4']]);
  }, T);

  it('keeps multi-byte characters split across stdout chunks intact', async () => {
    const line = 'ü€😀'.repeat(1000) + 'x'; // odd byte length so chunk edges fall inside characters
    const input = range(200).map(() => [line]);
    const { rows } = await runPipe('cat', input);
    expect(rows.length).toBe(200);
    expect(rows.every((r) => r.length === 1 && r[0] === line)).toBe(true);
  }, T);

  it('back pressure: a slow async onRows gets all rows in order, one call at a time', async () => {
    const n = 200_000;
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const { rows } = await runPipe(
      'cat',
      range(n).map((i) => [i]),
      async () => {
        active++;
        calls++;
        maxActive = Math.max(maxActive, active);
        await sleep(2);
        active--;
      },
      5000,
    );
    expect(maxActive).toBe(1);
    expect(calls).toBeGreaterThan(1);
    expect(rows.length).toBe(n);
    expect(rows.every((r, i) => r[0] === String(i))).toBe(true);
  }, T);

  it('command not found names the step and the command', async () => {
    const p = new PipeProcess('nosuchcmd_gleam_test', { stepName: 'pipe#3', onRows: () => {} });
    p.write([['a']]);
    const err = await p.end().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PipeError);
    const pe = err as PipeError;
    expect(pe.message).toContain('step "pipe#3" failed: command not found');
    expect(pe.message).toContain(`sh -c 'nosuchcmd_gleam_test'`);
    expect(pe.exitCode).toBe(127);
    expect(pe.stepName).toBe('pipe#3');
  }, T);

  it('non-zero exit gives the code and the stderr tail', async () => {
    const p = new PipeProcess('echo boom >&2; exit 3', { stepName: 'pipe#4', onRows: () => {} });
    await expect(p.end()).rejects.toThrow(/step "pipe#4" failed: command 'echo boom >&2; exit 3' exited with code 3: boom/);
    const q = new PipeProcess('false', { stepName: 's', onRows: () => {} });
    await expect(q.end()).rejects.toMatchObject({ exitCode: 1, message: `step "s" failed: command 'false' exited with code 1` });
  }, T);

  it('a write waiting for drain settles when the command exits without reading', async () => {
    const p = new PipeProcess('sleep 0.2; exit 2', { stepName: 'pipe#5', onRows: () => {} });
    const big = range(200_000).map((i) => [i, 'some padding text']);
    const w = p.write(big);
    expect(w).toBeInstanceOf(Promise);
    await w; // must not hang
    expect(p.write(big)).toBeUndefined(); // dropped: nobody reads any more
    await expect(p.end()).rejects.toMatchObject({ exitCode: 2 });
  }, T);

  it('an onRows error kills the command and rejects end() with that error', async () => {
    const boom = new Error('consumer failed');
    const p = new PipeProcess('yes', {
      stepName: 'pipe#6',
      onRows: () => {
        throw boom;
      },
    });
    await expect(p.end()).rejects.toBe(boom);
    const q = new PipeProcess('yes', { stepName: 'pipe#6', onRows: () => Promise.reject(boom) });
    await expect(q.end()).rejects.toBe(boom);
    await expect(q.write([['x']])).rejects.toBe(boom);
  }, T);

  it('kill() cancels a running pipeline', async () => {
    const p = new PipeProcess('sleep 30 | cat', { stepName: 'pipe#7', onRows: () => {} });
    const started = Date.now();
    setTimeout(() => p.kill(), 50);
    await expect(p.end()).rejects.toThrow(/step "pipe#7" cancelled/);
    expect(Date.now() - started).toBeLessThan(5000);
  }, T);

  it('spawn errors name the step', async () => {
    const p = new PipeProcess('cat', { stepName: 'pipe#8', onRows: () => {}, cwd: '/nonexistent/dir/for/test' });
    await expect(p.write([['a']])).rejects.toThrow(/step "pipe#8" failed: cannot start sh -c 'cat'/);
    await expect(p.end()).rejects.toBeInstanceOf(PipeError);
  }, T);

  it('passes cwd and env', async () => {
    const p: Row[] = [];
    const proc = new PipeProcess('pwd; echo "$GLEAM_PIPE_TEST"', {
      stepName: 's',
      cwd: '/',
      env: { ...process.env, GLEAM_PIPE_TEST: 'hello' },
      onRows: (rows) => {
        p.push(...rows);
      },
    });
    await proc.end();
    expect(p).toEqual([['/'], ['hello']]);
  }, T);
});

describe('substituteArgs', () => {
  it('quotes fields, reads $N greedily and leaves other $ forms alone', () => {
    const row = range(12).map((i) => 'f' + (i + 1));
    expect(substituteArgs('echo $1 $10 $12 $13', row)).toBe(`echo 'f1' 'f10' 'f12' ''`);
    expect(substituteArgs('echo $$ $HOME $0 ${1} \\$1 $', row)).toBe('echo $$ $HOME $0 ${1} \\$1 $');
    expect(substituteArgs('echo $$1', row)).toBe('echo $$1');
    expect(substituteArgs('echo $1', [`it's`])).toBe(`echo 'it'\\''s'`);
    expect(substituteArgs('echo $1$2', [1, null])).toBe(`echo '1'''`);
  });
});

describe('runPipeAsArgs', () => {
  async function collect(command: string, rows: Row[]): Promise<Row[]> {
    const out: Row[] = [];
    await runPipeAsArgs(command, rows, {
      stepName: 'pipeAsArgs#1',
      onRows: (r) => {
        out.push(...r);
      },
    });
    return out;
  }

  it('runs once per row, in order', async () => {
    const out = await collect('echo foo bar $1', range(10).map((i) => [i]));
    expect(out).toEqual(range(10).map((i) => ['foo bar ' + i]));
  }, T);

  it('passes fields literally, whatever they contain', async () => {
    const nasty = `it's; rm -rf /tmp/x`;
    expect(await collect(`printf '%s\\n' $1`, [[nasty]])).toEqual([[nasty]]);
    const dq = 'a"b$HOME`id`\\c';
    expect(await collect('printf "%s\\n" "[$1]"', [[dq]])).toEqual([[`[${dq}]`]]);
    expect(await collect(`printf '%s\\n' 'x$1y'`, [[`it's`]])).toEqual([[`xit'sy`]]);
    expect(await collect(`printf '%s|%s\\n' $1 $2`, [['a b', 'c\td']])).toEqual([['a b|c', 'd']]);
  }, T);

  it('fails with a PipeError naming the step and the substituted command', async () => {
    await expect(collect('echo bad $1 >&2; exit 4', [[1], [2]])).rejects.toMatchObject({
      exitCode: 4,
      message: `step "pipeAsArgs#1" failed: command 'echo bad '\\''1'\\'' >&2; exit 4' exited with code 4: bad 1`,
    });
  }, T);
});
