// Spark's remaining RDD actions and operators: aggregate, fold, collectAsMap, lookup, takeSample,
// randomSplit, glom, getNumPartitions, coalesce, sortBy, zip, zipWithUniqueId. Every case runs
// locally (2 executors) and on a real cluster (a master and 2 agents × 2 executors), with exact
// results wherever partition counts are given explicitly.
import { Flow, type RunOptions } from '@gleam/flow-dsl';
import { clusterForTests } from '../helpers/suiteCluster';
import { range, sorted } from './helpers';

jest.setTimeout(60000);

interface Mode {
  opts: RunOptions;
  /** The partition count a dataset gets when nothing says (executors locally, granted slots on the cluster). */
  defaultPartitions: number;
}

type Case = [name: string, run: (f: Flow, m: Mode) => Promise<void>];

const cases: Case[] = [
  [
    'aggregate folds each partition from a clone of zero, then merges the partials from one more zero',
    async (f, { opts }) => {
      const nums = f.parallelize([1, 2, 3, 4], 2); // [1, 2] [3, 4]
      // (1 + 1 + 2) and (1 + 3 + 4), merged from 1: Spark's 13.
      expect(await nums.aggregate(1, (a: number, v: number) => a + v, (a: number, b: number) => a + b, opts)).toBe(13);
      // seqOp may mutate its accumulator: every partition starts from its own clone.
      expect(await nums.aggregate([] as number[], (acc: number[], v: number) => (acc.push(v), acc), (a: number[], b: number[]) => a.concat(b), opts)).toEqual([1, 2, 3, 4]);
      // [sum, count] over the value of pair rows (the row), with params.
      const pairs = f.slices([['a', 1], ['b', 2], ['c', 3]], 2);
      expect(await pairs.aggregate([0, 0], (acc: number[], row: [string, number]) => [acc[0] + row[1] * params.m, acc[1] + 1], '(a, b) => [a[0] + b[0], a[1] + b[1]]', { ...opts, params: { m: 10 } })).toEqual([60, 3]);
      // No rows: every partition yields its zero, and the driver adds one more (3 partitions + 1).
      expect(await f.parallelize<number>([], 3).aggregate(5, (a: number, v: number) => a + v, (a: number, b: number) => a + b, opts)).toBe(20);
    },
  ],
  [
    'fold is aggregate with one function',
    async (f, { opts }) => {
      const nums = f.parallelize([1, 2, 3, 4], 2);
      expect(await nums.fold(0, (a: number, b: number) => a + b, opts)).toBe(10);
      expect(await nums.fold(1, (a: number, b: number) => a + b, opts)).toBe(13);
      expect(await f.parallelize(['x', 'y', 'z'], 3).fold('', '(a, b) => a + b', opts)).toBe('xyz');
    },
  ],
  [
    'aggregate and fold errors name the step: seqOp in the executors, combOp in the driver, a zero params cannot carry',
    async (f, { opts }) => {
      const nums = f.parallelize([1, 2, 3, 4], 2);
      await expect(nums.aggregate(0, () => { throw new Error('seq broke'); }, (a: number, b: number) => a + b, opts)).rejects.toThrow(/step "aggregate#\d+".*seq broke/s);
      await expect(nums.aggregate(0, (a: number, v: number) => a + v, () => { throw new Error('comb broke'); }, opts)).rejects.toThrow(/step "aggregate#\d+": combOp failed in the driver: comb broke/);
      await expect(nums.fold(() => 0, '(a, b) => a + b', opts)).rejects.toThrow(/step "aggregate#\d+": zero is a function/);
    },
  ],
  [
    'collectAsMap maps field 1 to the value, a later row of a key winning; lookup finds the values of one key',
    async (f, { opts }) => {
      const pairs = f.slices([['a', 1], ['b', 2], ['a', 3], [1, 'one'], ['1', 'string one'], [[1, 2], 'array'], ['w', 4, 5]], 3);
      const m = await pairs.collectAsMap(opts);
      expect([...m]).toEqual([['a', 3], ['b', 2], [1, 'one'], ['1', 'string one'], [[1, 2], 'array'], ['w', [4, 5]]]);
      expect(await pairs.lookup('a', opts)).toEqual([1, 3]);
      expect(await pairs.lookup(1, opts)).toEqual(['one']);
      expect(await pairs.lookup(1n, opts)).toEqual(['one']);
      expect(await pairs.lookup('1', opts)).toEqual(['string one']);
      expect(await pairs.lookup([1, 2], opts)).toEqual(['array']);
      expect(await pairs.lookup('w', opts)).toEqual([[4, 5]]);
      expect(await pairs.lookup('nope', opts)).toEqual([]);
      await expect(f.ints([1, 2]).collectAsMap(opts)).rejects.toThrow(/collectAsMap\(\): needs rows of at least two fields/);
    },
  ],
  [
    'takeSample: exactly num distinct rows without replacement, all rows when num >= count, the same rows for a seed',
    async (f, { opts }) => {
      const nums = f.parallelize(range(100), 4);
      const s = await nums.takeSample(false, 10, 7, opts);
      expect(s).toHaveLength(10);
      expect(new Set(s.map((r) => r[0])).size).toBe(10);
      for (const [v] of s) expect(range(100)).toContain(v);
      expect(await nums.takeSample(false, 10, 7, opts)).toEqual(s);
      expect(await nums.takeSample(false, 10, 8, opts)).not.toEqual(s);
      const all = await nums.takeSample(false, 500, 1, opts);
      expect(sorted(all)).toEqual(sorted(range(100).map((n) => [n])));
      expect(all).not.toEqual(range(100).map((n) => [n])); // shuffled
      const withRepl = await nums.takeSample(true, 150, 3, opts);
      expect(withRepl).toHaveLength(150);
      for (const [v] of withRepl) expect(range(100)).toContain(v);
      expect(await nums.takeSample(false, 0, 1, opts)).toEqual([]);
      expect(await f.parallelize<number>([], 2).takeSample(false, 5, 1, opts)).toEqual([]);
      await expect(nums.takeSample(false, -1, 1, opts)).rejects.toThrow(/step "takeSample": takeSample\(withReplacement, num\) must be a non-negative integer, got -1/);
      await expect(nums.takeSample(false, 3, 1.5, opts)).rejects.toThrow(/takeSample.*seed must be an integer, got 1.5/);
    },
  ],
  [
    'randomSplit: disjoint splits covering the dataset, sized by the weights, the same for a seed',
    async (f, { opts }) => {
      const nums = f.parallelize(range(1000), 4);
      const splits = nums.randomSplit([1, 2, 1], 11);
      const rows = await Promise.all(splits.map((s) => s.collect(opts)));
      expect(sorted(rows.flat())).toEqual(sorted(range(1000).map((n) => [n])));
      expect(new Set(rows.flat().map((r) => r[0])).size).toBe(1000);
      const sizes = rows.map((r) => r.length);
      expect(Math.abs(sizes[0] - 250)).toBeLessThan(80);
      expect(Math.abs(sizes[1] - 500)).toBeLessThan(80);
      expect(Math.abs(sizes[2] - 250)).toBeLessThan(80);
      const again = await Promise.all(nums.randomSplit([0.25, 0.5, 0.25], 11).map((s) => s.collect(opts)));
      expect(again).toEqual(rows); // normalized weights: the same splits
      const [empty, whole] = await Promise.all(nums.randomSplit([0, 3], 5).map((s) => s.collect(opts)));
      expect(empty).toEqual([]);
      expect(whole).toEqual(range(1000).map((n) => [n]));
    },
  ],
  [
    'randomSplit refuses bad weights and seeds, naming the step',
    async (f) => {
      const nums = f.parallelize(range(10), 2);
      expect(() => nums.randomSplit([])).toThrow(/step "randomSplit#\d+": weights must be a non-empty array of numbers, got \[\]/);
      expect(() => nums.randomSplit([1, -1])).toThrow(/step "randomSplit#\d+": weights must be finite non-negative numbers/);
      expect(() => nums.randomSplit([0, 0])).toThrow(/step "randomSplit#\d+": weights must have a positive sum/);
      expect(() => nums.randomSplit(['1' as unknown as number])).toThrow(/weights must be finite non-negative numbers/);
      expect(() => nums.randomSplit([1, 1], 0.5)).toThrow(/step "randomSplit#\d+": seed must be an integer/);
    },
  ],
  [
    'glom makes each partition one row of its values, empty partitions too',
    async (f, { opts }) => {
      expect(await f.parallelize(range(5), 2).glom().collect(opts)).toEqual([[[0, 1]], [[2, 3, 4]]]);
      expect(await f.parallelize([7], 3).glom().collect(opts)).toEqual([[[]], [[]], [[7]]]);
      expect(await f.slices([['a', 1], ['b', 2]], 1).glom().collect(opts)).toEqual([[[['a', 1], ['b', 2]]]]);
    },
  ],
  [
    'getNumPartitions: given counts, wide steps\' partitions, the default, coalesce',
    async (f, { opts, defaultPartitions }) => {
      const nums = f.parallelize(range(10), 3);
      expect(await nums.getNumPartitions(opts)).toBe(3);
      expect(await nums.map((n: number) => [n % 2, n]).reduceBy('(a, b) => a + b', { partitions: 5 }).getNumPartitions(opts)).toBe(5);
      expect(await f.ints(range(10)).getNumPartitions(opts)).toBe(defaultPartitions);
      expect(await f.ints(range(10)).getNumPartitions({ ...opts, partitions: 7 })).toBe(7);
      expect(await nums.union(nums).getNumPartitions(opts)).toBe(6);
      expect(await nums.coalesce(2).getNumPartitions(opts)).toBe(2);
      expect(await nums.coalesce(8).getNumPartitions(opts)).toBe(3);
    },
  ],
  [
    'coalesce merges neighbouring partitions without a shuffle; n >= the count changes nothing',
    async (f, { opts }) => {
      const nums = f.parallelize(range(10), 5); // [0,1] [2,3] [4,5] [6,7] [8,9]
      expect(await nums.coalesce(2).glom().collect(opts)).toEqual([[[0, 1, 2, 3]], [[4, 5, 6, 7, 8, 9]]]);
      expect(await nums.coalesce(3).glom().collect(opts)).toEqual([[[0, 1]], [[2, 3, 4, 5]], [[6, 7, 8, 9]]]);
      expect(await nums.coalesce(1).collect(opts)).toEqual(range(10).map((n) => [n]));
      expect(await nums.coalesce(5).glom().collect(opts)).toEqual(await nums.glom().collect(opts));
      expect(await nums.coalesce(9).glom().collect(opts)).toEqual(await nums.glom().collect(opts));
      // After narrow steps (still open), and after a shuffle (sections of map shards).
      expect(await nums.map((n: number) => n * 10).coalesce(2).glom().collect(opts)).toEqual([[[0, 10, 20, 30]], [[40, 50, 60, 70, 80, 90]]]);
      const summed = nums.map((n: number) => [n % 4, n]).reduceBy('(a, b) => a + b', { partitions: 4 }).coalesce(2);
      expect(await summed.getNumPartitions(opts)).toBe(2);
      expect(sorted(await summed.collect(opts))).toEqual(sorted([[0, 12], [1, 15], [2, 8], [3, 10]]));
      expect(() => nums.coalesce(0)).toThrow(/step "coalesce#\d+": coalesce\(n\) must be a positive integer, got 0/);
      expect(() => nums.coalesce(1.5)).toThrow(/step "coalesce#\d+": coalesce\(n\) must be a positive integer, got 1.5/);
    },
  ],
  [
    'sortBy orders rows by a UDF of their fields, ascending or descending, rows unchanged',
    async (f, { opts }) => {
      const words = f.parallelize(['banana', 'fig', 'apple', 'kiwi', 'cherries'], 3);
      expect(await words.sortBy((w: string) => w.length).collect(opts)).toEqual([['fig'], ['kiwi'], ['apple'], ['banana'], ['cherries']]);
      expect(await words.sortBy((w: string) => w.length, { ascending: false }).collect(opts)).toEqual([['cherries'], ['banana'], ['apple'], ['kiwi'], ['fig']]);
      const pairs = f.slices([['a', 3], ['b', 1], ['c', 2], ['d', 0]], 2);
      const byValue = pairs.sortBy((_k: string, v: number) => v * params.sign, { partitions: 3, params: { sign: -1 } });
      expect(await byValue.collect(opts)).toEqual([['a', 3], ['c', 2], ['b', 1], ['d', 0]]);
      expect(await byValue.getNumPartitions(opts)).toBe(3);
      await expect(words.sortBy(() => { throw new Error('no key'); }).collect(opts)).rejects.toThrow(/step "sortBy#\d+".*no key/s);
      expect(() => words.sortBy((w: string) => w, { ascending: 'no' as unknown as boolean })).toThrow(/sortBy: ascending must be a boolean/);
    },
  ],
  [
    'zip pairs row i of partition p of both datasets: [...thisRow, ...otherRow]',
    async (f, { opts }) => {
      const nums = f.parallelize(range(6), 3);
      const letters = f.parallelize(['a', 'b', 'c', 'd', 'e', 'f'], 3);
      expect(await nums.zip(letters).collect(opts)).toEqual(range(6).map((n) => [n, 'abcdef'[n]]));
      expect(await nums.zip(nums.map((n: number) => [n * 10, n + 100])).collect(opts)).toEqual(range(6).map((n) => [n, n * 10, n + 100]));
      expect(await nums.zip(nums).collect(opts)).toEqual(range(6).map((n) => [n, n]));
    },
  ],
  [
    'zip fails clearly when partition counts or partition sizes differ',
    async (f, { opts }) => {
      const nums = f.parallelize(range(6), 3);
      await expect(nums.zip(f.parallelize(range(6), 2)).collect(opts)).rejects.toThrow(/step "zip#\d+": can only zip datasets with the same number of partitions, got 3 and 2/);
      // [0,1] [2,3] [4,5] against [0,1] [2,3] [4,5,6]
      await expect(nums.zip(f.parallelize(range(7), 3)).collect(opts)).rejects.toThrow(/step "zip#\d+": can only zip datasets with the same number of rows in each partition; partition 2 has 2 rows on the left and 3 rows on the right/);
      await expect(nums.zip(nums.filter((n: number) => n !== 0)).collect(opts)).rejects.toThrow(/partition 0 has 2 rows on the left and 1 row on the right/);
      expect(() => nums.zip([1, 2] as never)).toThrow(/zip: expected a Dataset/);
    },
  ],
  [
    "zipWithUniqueId numbers partition k of n with k, n+k, 2n+k, ... (Spark's ids)",
    async (f, { opts }) => {
      const letters = f.parallelize(['a', 'b', 'c', 'd', 'e'], 2); // [a, b] [c, d, e]
      expect(await letters.zipWithUniqueId().collect(opts)).toEqual([['a', 0], ['b', 2], ['c', 1], ['d', 3], ['e', 5]]);
      expect(await f.slices([['x', 1], ['y', 2]], 3).zipWithUniqueId().collect(opts)).toEqual([['x', 1, 1], ['y', 2, 2]]);
    },
  ],
];

describe('RDD operators, locally (2 executors)', () => {
  const flow = new Flow('rdd operators (local)');
  afterAll(() => flow.close());
  test.each(cases)('%s', async (_name, run) => {
    await run(flow, { opts: { executors: 2 }, defaultPartitions: 2 });
  });
});

describe('RDD operators on a cluster (master + 2 agents × 2 executors)', () => {
  const flow = new Flow('rdd operators (cluster)');
  const cluster = clusterForTests({ agents: 2, executors: 2 }, flow);
  test.each(cases)('%s', async (_name, run) => {
    await run(flow, { opts: { master: cluster().master }, defaultPartitions: 4 });
  });
});

declare const params: { m: number; sign: number };
