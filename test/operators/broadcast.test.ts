// flow.broadcast(value): a lookup table read as params.b inside UDFs, shipped once per executor
// thread per job (never inside each task spec). Every case runs locally (2 executors) and on a
// real cluster (a master and 2 agents × 2 executors).
import { Flow, type RunOptions } from '@gleam/flow-dsl';
import { clusterForTests } from '../helpers/suiteCluster';
import { waitFor } from '../helpers/processes';
import { gleam } from '../helpers/runNode';
import { sorted } from './helpers';

jest.setTimeout(60000);

const FRUITS: Record<string, string> = { a: 'apple', b: 'banana', c: 'cherry' };

type Case = [name: string, run: (f: Flow, opts: RunOptions) => Promise<void>];

const cases: Case[] = [
  [
    'map, filter and a join-like flatMap look rows up in a broadcast table',
    async (f, opts) => {
      const table = f.broadcast(FRUITS);
      expect(table.value).toBe(FRUITS);
      const keys = f.strings(['a', 'x', 'b', 'c', 'a', 'y'], 3);
      expect(await keys.map((k: string) => [k, params.t[k] ?? null], { params: { t: table } }).collect(opts)).toEqual([
        ['a', 'apple'], ['x', null], ['b', 'banana'], ['c', 'cherry'], ['a', 'apple'], ['y', null],
      ]);
      const allowed = f.broadcast(['b', 'y']);
      expect(await keys.filter((k: string) => params.allowed.includes(k), { params: { allowed } }).collect(opts)).toEqual([['b'], ['y']]);
      // A map-side join of (key, qty) pairs with the table; two broadcasts in one step, one nested.
      const pairs = f.slices([['a', 1], ['z', 2], ['c', 3], ['b', 4]], 2);
      const joined = pairs.flatMap((k: string, q: number) => (k in params.lookup.t ? [[k, q * params.m, params.lookup.t[k], params.tag]] : []), {
        params: { lookup: { t: table }, m: 10, tag: allowed },
      });
      expect(sorted(await joined.collect(opts))).toEqual(sorted([
        ['a', 10, 'apple', ['b', 'y']],
        ['b', 40, 'banana', ['b', 'y']],
        ['c', 30, 'cherry', ['b', 'y']],
      ]));
      // After a shuffle too (reduceByKey's UDF sees the broadcast).
      const sums = f.slices([['a', 1], ['a', 2], ['b', 3]], 2).reduceByKey((x: number, y: number) => x + y + params.t.a.length * 0, { params: { t: table } });
      expect(sorted(await sums.collect(opts))).toEqual([['a', 3], ['b', 3]]);
    },
  ],
  [
    'the value is read once per executor thread per job and shared by its tasks',
    async (f, opts) => {
      const big = f.broadcast({ pad: 'x'.repeat(1 << 20), n: 7 });
      // What travels in params is the marker only.
      expect(JSON.stringify({ b: big })).toBe(`{"b":{"__gleamBroadcast":${big.__gleamBroadcast}}}`);
      expect(structuredClone(big)).toEqual({ __gleamBroadcast: big.__gleamBroadcast });
      const rows = await f
        .ints(Array.from({ length: 24 }, (_, i) => i), 12)
        .mapPartitions(function* (rows: Iterable<number[]>) {
          let n = 0;
          for (const _ of rows) n++;
          const where = `${process.pid}/${require('node:worker_threads').threadId}`;
          yield [where, require('@gleam/executor').broadcastFetches(), n * params.b.n, params.b.pad.length];
        }, { params: { b: big } })
        .collect(opts);
      expect(rows).toHaveLength(12);
      expect(rows.reduce((s, r) => s + (r[2] as number), 0)).toBe(24 * 7);
      for (const r of rows) expect(r[3]).toBe(1 << 20);
      // Within this job, every task of one thread saw the same fetch count: no task read again.
      const perThread = new Map<string, Set<unknown>>();
      for (const r of rows) perThread.set(r[0] as string, (perThread.get(r[0] as string) ?? new Set()).add(r[1]));
      expect(perThread.size).toBeLessThan(12);
      for (const counts of perThread.values()) {
        expect(counts.size).toBe(1);
        expect([...counts][0]).toBeGreaterThanOrEqual(1);
      }
    },
  ],
  [
    'a value params cannot carry is refused when broadcast, naming the step',
    async (f) => {
      expect(() => f.broadcast(() => 1)).toThrow(/^step "broadcast#\d+": the broadcast value is a function/);
      expect(() => f.broadcast({ m: new Map([[1, 2]]) })).toThrow(/^step "broadcast#\d+": the broadcast value\.m is a Map/);
    },
  ],
  [
    'a broadcast of another Flow is refused, naming the step and the param',
    async (f, opts) => {
      const other = new Flow('other');
      const b = other.broadcast(FRUITS);
      await expect(f.strings(['a']).map((k: string) => [params.b[k]], { params: { b } }).collect(opts)).rejects.toThrow(
        /step "map#\d+": params\.b is a broadcast of another Flow \("other"\)/,
      );
      await other.close();
    },
  ],
];

describe('locally (2 executors)', () => {
  const flow = new Flow('broadcast');
  afterAll(() => flow.close());
  test.each(cases)('%s', async (_name, run) => {
    await run(flow, { executors: 2 });
  });
});

describe('on a cluster (2 agents)', () => {
  const flow = new Flow('broadcast');
  const cluster = clusterForTests({ agents: 2, executors: 2 }, flow);
  test.each(cases)('%s', async (_name, run) => {
    await run(flow, { master: cluster().master });
  });
  test('no broadcast shard outlives its job on the agents', async () => {
    const shardsHeld = async () => {
      const r = await gleam(['status', '--master', cluster().master, '--json'], { timeoutMs: 10000 });
      return (JSON.parse(r.stdout) as { agents: { shards: number }[] }).agents.reduce((n, a) => n + a.shards, 0);
    };
    const t = flow.broadcast(FRUITS);
    expect(await flow.strings(['a', 'b'], 2).map((k: string) => [params.t[k]], { params: { t } }).collect({ master: cluster().master })).toEqual([['apple'], ['banana']]);
    await waitFor(async () => (await shardsHeld()) === 0, 'the agents to hold no shard', 15000, 500);
  });
});

declare const params: any;
