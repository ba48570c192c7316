// The per-task compiled stages: fused map/flatMap/filter chains and reduceByKey's fast path.
import { GleamError } from '../src/errors';
import { chainSource, fuseUdfSteps, type UdfOp } from '../src/stages/fusedUdfChain';
import { ReduceByKeyStage } from '../src/stages/reduceByKeyStage';
import type { Row, Stage } from '../src/stages/stage';
import { compileUdf, type Udf } from '../src/udf/compileUdf';

type Fn = (...a: any[]) => unknown;

/** A terminal stage recording what reaches it; with push1 it records the bare values apart. */
function sink(withPush1: boolean) {
  const rows: Row[] = [];
  const values: unknown[] = [];
  const calls: string[] = [];
  const s: Stage = {
    push: (r) => void rows.push(r),
    flush: () => void calls.push('flush'),
    end: async () => void calls.push('end'),
  };
  if (withPush1) s.push1 = (v) => void values.push(v);
  return { s, rows, values, calls };
}

function chain(steps: Array<[UdfOp, Fn]>, next: Stage): Stage {
  return fuseUdfSteps(steps.map(([op, fn], i) => ({ op, fn: fn as Udf, step: `${op}#${i + 1}` })), next);
}

/** Runs inputs through a chain into a sink without push1: every output as a row. */
function run(steps: Array<[UdfOp, Fn]>, inputs: Array<{ row: Row } | { value: unknown }>): Row[] {
  const out = sink(false);
  const head = chain(steps, out.s);
  for (const i of inputs) {
    if ('row' in i) head.push(i.row);
    else head.push1!(i.value);
  }
  return out.rows;
}

describe('fused map/flatMap/filter chain', () => {
  test('map: arrays are rows, other values one-field rows, undefined drops; row fields are the arguments', () => {
    const out = run([['map', (a: number, b?: number) => (a === 0 ? undefined : b === undefined ? a * 10 : [a, b, a + b])]], [
      { value: 1 },
      { value: 0 },
      { row: [2, 3] },
      { row: [4] },
    ]);
    expect(out).toEqual([[10], [2, 3, 5], [40]]);
  });

  test('map passes 0..5 fields as arguments (spread beyond three)', () => {
    const out = run([['map', (...a: unknown[]) => [a.length, ...a]]], [{ row: [] }, { row: [1, 2, 3] }, { row: [1, 2, 3, 4, 5] }]);
    expect(out).toEqual([[0], [3, 1, 2, 3], [5, 1, 2, 3, 4, 5]]);
  });

  test('filter keeps rows and values on truthy results and passes them on unchanged', () => {
    const row = [5, 'x'];
    const out = run([['filter', (a: number) => a % 2]], [{ value: 1 }, { value: 2 }, { row }, { row: [6, 'y'] }]);
    expect(out).toEqual([[1], [5, 'x']]);
    expect(out[1]).toBe(row);
  });

  test('flatMap: arrays of rows and values, Sets, generators; null and undefined emit nothing', () => {
    const out = run([['flatMap', (x: unknown) => {
      if (x === 'arr') return ['a', ['b', 1], 'c'];
      if (x === 'set') return new Set(['s', 's', 't']);
      if (x === 'gen') return (function* () { yield 'g'; yield ['h', 2]; })();
      return x === 'null' ? null : undefined;
    }]], [{ value: 'arr' }, { value: 'set' }, { value: 'null' }, { value: 'undef' }, { value: 'gen' }]);
    expect(out).toEqual([['a'], ['b', 1], ['c'], ['s'], ['t'], ['g'], ['h', 2]]);
  });

  test('a string or a number from flatMap is an error naming the step and the row', () => {
    expect(() => run([['flatMap', () => 'abc']], [{ value: 'line' }])).toThrow(/step "flatMap#1": flatMap's UDF must return an iterable.*\n\s+row: \["line"\]/);
    expect(() => run([['flatMap', () => 7]], [{ row: [1, 2] }])).toThrow(/got 7\n\s+row: \[1,2\]/);
  });

  test('a long chain: each step sees what the one before produced', () => {
    const out = run([
      ['flatMap', (line: string) => line.split(' ')],
      ['filter', (w: string) => w.length > 0],
      ['map', (w: string) => [w, w.length]],
      ['filter', (_w: string, n: number) => n > 1],
      ['map', (w: string, n: number) => `${w}:${n}`],
    ], [{ value: 'a bb  ccc' }, { row: ['dd e'] }]);
    expect(out).toEqual([['bb:2'], ['ccc:3'], ['dd:2']]);
  });

  test('an exception names the step that threw, its input row and the UDF stack', () => {
    let err: unknown;
    try {
      run([
        ['map', (x: number) => [x, x * 2]],
        ['map', (_x: number, y: number) => { if (y > 2) throw new RangeError(`too big: ${y}`); return y; }],
        ['map', (y: number) => y],
      ], [{ value: 1 }, { value: 2 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GleamError);
    expect((err as GleamError).step).toBe('map#2');
    expect((err as Error).message).toMatch(/^step "map#2": the UDF threw RangeError: too big: 4\n\s+row: \[2,4\]\n\s+UDF stack:\n\s+at /);
    // The stack shows the UDF's frames, not the generated loop that called it.
    expect((err as Error).message).not.toMatch(/compilePerTask|\bat (p|v|e)\d+ /);
  });

  test('an error thrown by a flatMap generator is the flatMap step\'s; one from a later step keeps its own step', () => {
    const gen = () => (function* () { yield 1; throw new TypeError('gen broke'); })();
    expect(() => run([['flatMap', gen]], [{ value: 'in' }])).toThrow(/step "flatMap#1": the UDF threw TypeError: gen broke\n\s+row: \["in"\]/);
    expect(() => run([['flatMap', () => new Set([1])], ['map', () => { throw new Error('later'); }]], [{ value: 'in' }])).toThrow(/^step "map#2": the UDF threw Error: later\n\s+row: \[1\]/);
  });

  test('one-field outputs reach a next stage with push1 as bare values, others as rows; flush and end pass through', async () => {
    const out = sink(true);
    const head = chain([['map', (x: number) => (x > 1 ? [x, x] : x)]], out.s);
    head.push1!(1);
    head.push([2]);
    head.flush();
    await head.end();
    expect(out.values).toEqual([1]);
    expect(out.rows).toEqual([[2, 2]]);
    expect(out.calls).toEqual(['flush', 'end']);
  });

  test('UDFs run with the params and require they were compiled with', () => {
    const fn = compileUdf({ source: '(x) => params.prefix + require("node:path").basename(x)', params: { prefix: '>' } }, 'map#1');
    expect(run([['map', fn]], [{ value: '/a/b.txt' }])).toEqual([['>b.txt']]);
  });

  test('the generated source holds only indices and fixed text', () => {
    const src = chainSource(['flatMap', 'map', 'filter'], true);
    expect(src).toContain('function p3(row) { next.push(row); }');
    expect(src).toContain('function v3(value) { next.push1(value); }');
    expect(chainSource(['map'], false)).toContain('function v1(value) { next.push([value]); }');
    expect(() => fuseUdfSteps([], sink(false).s)).toThrow(/at least one step/);
  });
});

describe('reduceByKey compiled fast path', () => {
  async function reduceRows(rows: Row[], fn: Fn, key = [0], create?: Fn): Promise<Row[]> {
    const out = sink(false);
    const st = new ReduceByKeyStage(fn as Udf, key, 'reduceBy#1', out.s, create as Udf | undefined);
    for (const r of rows) st.push(r);
    await st.end();
    return out.rows;
  }

  test('[key, value] rows with primitive keys, and others through the general path, reduce together', async () => {
    const rows: Row[] = [['a', 1], ['b', 2], ['a', 3], [1, 10], [1n, 5], [true, 1], [true, 2], [[1, 2], 7], [[1, 2], 8], [null, 1], [null, 4], [-0, 2], [0, 3]];
    const out = await reduceRows(rows, (x: number, y: number) => x + y);
    const byKey = new Map(out.map((r) => [JSON.stringify(r[0], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)), r[1]]));
    expect(byKey.get('"a"')).toBe(4);
    expect(byKey.get('"b"')).toBe(2);
    expect(byKey.get('1')).toBe(15); // 1 and 1n are one key; the first value seen is kept
    expect(byKey.get('true')).toBe(3);
    expect(byKey.get('[1,2]')).toBe(15);
    expect(byKey.get('null')).toBe(5);
    expect(byKey.get('0')).toBe(5); // -0 and 0 are one key
    expect(out).toHaveLength(7);
  });

  test('an accumulator may be undefined and stays a group', async () => {
    const out = await reduceRows([['k', 1], ['k', 2], ['k', 3]], () => undefined);
    expect(out).toEqual([['k', undefined]]);
  });

  test('create starts each group; an error in create or in the reducer names the step and the row', async () => {
    expect(await reduceRows([['x', 2], ['x', 3], ['y', 4]], (acc: number[], v: number) => [...acc, v], [0], (v: number) => [v])).toEqual([['x', [2, 3]], ['y', [4]]]);
    await expect(reduceRows([['x', 2]], (a: number) => a, [0], () => { throw new Error('no create'); })).rejects.toThrow(/^step "reduceBy#1": the UDF threw Error: no create\n\s+row: \["x",2\]/);
    await expect(reduceRows([['x', 2], ['x', 3]], () => { throw new Error('no reduce'); })).rejects.toThrow(/^step "reduceBy#1": the UDF threw Error: no reduce\n\s+row: \["x",3\]/);
  });
});
