// Sync UDF steps refuse Promises and async iterables (pointing to mapAsync / flatMapAsync);
// MapAsyncStage runs async UDFs with bounded concurrency at batch edges, in input order.
import { fuseUdfSteps, type UdfOp } from '../src/stages/fusedUdfChain';
import { MapAsyncStage } from '../src/stages/mapAsyncStage';
import { MapPartitionsStage } from '../src/stages/mapPartitionsStage';
import type { Row, Stage } from '../src/stages/stage';
import type { Udf } from '../src/udf/compileUdf';

function collector() {
  const rows: Row[] = [];
  let flushes = 0;
  const s: Stage = { push: (r) => void rows.push(r), flush: () => void flushes++, end: async () => {} };
  return { s, rows, flushes: () => flushes };
}

function syncError(op: UdfOp, fn: (...a: any[]) => unknown, input: Row): string {
  const head = fuseUdfSteps([{ op, fn: fn as Udf, step: `${op}#2` }], collector().s);
  try {
    head.push(input);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('sync UDF steps refuse async results', () => {
  test('map, filter and flatMap name the step, the row and the async operator to use', () => {
    expect(syncError('map', async (x: number) => [x], [1, 'a'])).toBe(
      'step "map#2": the UDF returned a Promise (is it an async function?); map needs the new row at once — use mapAsync(fn, { concurrency }) for UDFs that return Promises\n  row: [1,"a"]',
    );
    expect(syncError('filter', async () => false, [3])).toBe(
      'step "filter#2": the UDF returned a Promise (is it an async function?); filter needs true or false at once (a Promise is always truthy) — to filter on an async result use flatMapAsync and return [row] to keep it, [] to drop it\n  row: [3]',
    );
    expect(syncError('flatMap', async (x: number) => [x], [4])).toBe(
      'step "flatMap#2": the UDF returned a Promise (is it an async function?); flatMap needs an iterable at once — use flatMapAsync(fn, { concurrency }) for UDFs that return Promises or async iterables\n  row: [4]',
    );
    expect(syncError('flatMap', async function* (x: number) { yield x; }, [5])).toBe(
      'step "flatMap#2": the UDF returned an async iterable (is it an async generator?); flatMap needs an iterable at once — use flatMapAsync(fn, { concurrency }) for UDFs that return Promises or async iterables\n  row: [5]',
    );
  });

  test('a one-field row (push1) is refused alike, and sync results of every kind still pass', () => {
    const out = collector();
    const head = fuseUdfSteps([{ op: 'filter', fn: ((x: unknown) => x) as Udf, step: 'filter#2' }, { op: 'map', fn: ((x: unknown) => x) as Udf, step: 'map#3' }], out.s);
    for (const v of [true, 1, 'a', { then: 1 }, [1], false, 0, '', null]) head.push1!(v);
    expect(out.rows).toEqual([[true], [1], ['a'], [{ then: 1 }], [1]]);
    expect(() => head.push1!(Promise.resolve(1))).toThrow('step "filter#2": the UDF returned a Promise (is it an async function?); filter needs');
  });

  test('mapPartitions refuses a Promise', async () => {
    const stage = new MapPartitionsStage((async (rows: Iterable<Row>) => [...rows]) as Udf, 'mapPartitions#2', collector().s);
    stage.push([1]);
    await expect(stage.end()).rejects.toThrow(
      'step "mapPartitions#2": the UDF returned a Promise (is it an async function?); mapPartitions needs an iterable at once — for async work per row use mapAsync(fn, { concurrency }) or flatMapAsync',
    );
  });
});

describe('MapAsyncStage', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('keeps input order, bounds calls in flight, and resolves flush when the batch is out', async () => {
    let inFlight = 0;
    let most = 0;
    const fn = async (x: number) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick((x * 7) % 5);
      inFlight--;
      return x % 4 === 0 ? undefined : x % 2 ? [x, 'odd'] : x;
    };
    const out = collector();
    const stage = new MapAsyncStage(fn as Udf, 'mapAsync#2', 3, false, new AbortController().signal, out.s);
    for (let i = 1; i <= 20; i++) stage.push([i]);
    expect(out.rows).toEqual([]); // nothing runs inside push
    const p = stage.flush();
    expect(p).toBeInstanceOf(Promise);
    await p;
    expect(most).toBe(3);
    expect(out.rows).toEqual([[1, 'odd'], [2], [3, 'odd'], [5, 'odd'], [6], [7, 'odd'], [9, 'odd'], [10], [11, 'odd'], [13, 'odd'], [14], [15, 'odd'], [17, 'odd'], [18], [19, 'odd']]);
  });

  test('flatMapAsync takes Promises of iterables, async iterables and sync results', async () => {
    const out = collector();
    const fn = (x: number) => (x === 1 ? Promise.resolve([x, [x, x]]) : x === 2 ? (async function* () { yield 'a'; yield ['b', 2]; })() : x === 3 ? null : new Set([x]));
    const stage = new MapAsyncStage(fn as Udf, 'flatMapAsync#2', 16, true, new AbortController().signal, out.s);
    for (const x of [1, 2, 3, 4]) stage.push([x]);
    await stage.end();
    expect(out.rows).toEqual([[1], [1, 1], ['a'], ['b', 2], [4]]);
  });

  test('a rejection fails the step with the row, like a throwing UDF', async () => {
    const fn = async (x: number) => {
      if (x === 2) throw new TypeError('bad two');
      return x;
    };
    const stage = new MapAsyncStage(fn as Udf, 'mapAsync#2', 4, false, new AbortController().signal, collector().s);
    for (const x of [1, 2, 3]) stage.push([x, 'f']);
    await expect(stage.end()).rejects.toThrow(/^step "mapAsync#2": the UDF threw TypeError: bad two\n {2}row: \[2,"f"\]/);
  });

  test('flatMapAsync with a value that is not iterable names the step and the row', async () => {
    const stage = new MapAsyncStage((async () => 5) as Udf, 'flatMapAsync#3', 2, true, new AbortController().signal, collector().s);
    stage.push(['r']);
    await expect(stage.end()).rejects.toThrow('step "flatMapAsync#3": flatMapAsync\'s UDF must return (or resolve to) an iterable (array, Set, generator…) or an async iterable, got 5\n  row: ["r"]');
  });

  test('a cancelled task stops waiting for calls that never settle', async () => {
    const ac = new AbortController();
    const stage = new MapAsyncStage((() => new Promise(() => {})) as Udf, 'mapAsync#2', 2, false, ac.signal, collector().s);
    stage.push([1]);
    const done = stage.end();
    setTimeout(() => ac.abort(), 20);
    await expect(done).rejects.toThrow('step "mapAsync#2": cancelled');
  });
});
