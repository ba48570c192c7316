// The physical plan owns its shards: every shard a task or sink reads is written by exactly one
// task (or is a cached dataset's), every written shard is read, task names are unique, and a
// shuffle of m partitions into n writes m shards.
import type { DriverSink } from '@gleam/driver';
import { isFlowShard, taskShards, type ShardSet } from '@gleam/executor';
import '../src/operators/sparkOperators';
import '../src/operators/rddTransforms';
import { Flow } from '../src/flow';
import { printPlan } from '../src/planner/printPlan';
import type { Dataset } from '../src/dataset';
import { resolveOptions } from '../src/options';
import { planFlow, type SinkRequest } from '../src/planner/planFlow';
import { PLANNED_STEP_KINDS } from '../src/planner/operators';

function sink(ds: Dataset<any>): SinkRequest {
  return { node: ds.node, name: 'Collect', make: (parts: ShardSet[]): DriverSink => ({ step: 'c', parts, consume() {} }) };
}

/** Checks the shard bookkeeping of a plan; returns the shards written per role. */
function checkPlan(datasets: Dataset<any>[], executors = 3) {
  const { plan, describe } = planFlow('t', datasets.map(sink), resolveOptions({ executors }));
  const writers = new Map<string, string>();
  const sections = new Map<string, number>();
  for (const t of plan.taskGroups) {
    for (const use of taskShards(t)) {
      if (use.role !== 'output' && use.role !== 'sideOutput') continue;
      for (const s of use.shards) {
        expect(writers.has(s)).toBe(false); // one writer per shard
        writers.set(s, t.name);
        if (use.partitions !== undefined) sections.set(s, use.partitions);
      }
    }
  }
  const read = new Set<string>();
  const checkRead = (shards: readonly string[], section: number | undefined) => {
    for (const s of shards) {
      read.add(s);
      expect(writers.has(s) || isFlowShard(s)).toBe(true);
      if (section !== undefined) expect(section).toBeLessThan(sections.get(s)!);
      else expect(sections.has(s)).toBe(false); // a sectioned shard is read by section
    }
  };
  for (const t of plan.taskGroups) for (const use of taskShards(t)) if (use.role !== 'output' && use.role !== 'sideOutput') checkRead(use.shards, use.section);
  for (const s of plan.sinks) for (const part of s.parts) checkRead(part.shards, part.section);
  for (const s of writers.keys()) expect(read.has(s)).toBe(true);
  const names = plan.taskGroups.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  return { plan, writers, text: printPlan(describe()) };
}

describe('every plan reads exactly what it writes', () => {
  test('joins of every kind, coGroup, hashJoin, subtract, intersection, cartesian', () => {
    const f = new Flow('joins');
    const l = f.slices([['a', 1, 2], ['b', 3, 4]], 2);
    const r = f.slices([['a', 'x'], ['c', 'y']], 2);
    const { text } = checkPlan([l.join(r), l.leftOuterJoin(r), l.rightOuterJoin(r), l.fullOuterJoin(r), l.coGroup(r), l.hashJoin(r), l.subtract(r), l.intersection(r), l.cartesian(r)]);
    // Right sides are side inputs; outer joins read the padded side's row stats.
    expect(text).toMatch(/side: d\d+b-m0 section 0 \(join#\d+\)/);
    expect(text).toMatch(/side: d\d+a-stats-s0 \(rightOuterJoin#\d+\)/);
    expect(text).toMatch(/side: d\d+b-stats-s1 \(leftOuterJoin#\d+\)/);
  });

  test('sort, top, limit, reduce, distinct, groupBy, reduceBy, zipWithIndex, union, sample, partition', () => {
    const f = new Flow('mixed');
    const ds = f.ints([5, 3, 9, 1, 7], 2).map((n: number) => [n % 3, n]);
    const { text } = checkPlan([
      ds.sort({ by: [[2, 'desc']] }),
      ds.top(2, { by: [2] }),
      ds.limit(3),
      ds.reduceRows((a: number, b: number) => a + b),
      ds.distinct(),
      ds.groupBy(),
      ds.reduceBy((a: number, b: number) => a + b),
      ds.zipWithIndex(),
      ds.union(f.ints([1])),
      ds.sample(false, 0.5, 7),
      ds.partition(5).map((k: number, v: number) => [v, k]),
    ]);
    expect(text).toMatch(/sample: d\d+-sample-s1/);
    expect(text).toMatch(/side: d\d+-stats-s0 \(zipWithIndex#\d+\)/);
  });

  test('coalesce (of open rows, of driver shards, of shuffle sections), zip, zipWithUniqueId, randomSplit', () => {
    const f = new Flow('rdd');
    const ds = f.ints([5, 3, 9, 1, 7], 4);
    const summed = ds.map((n: number) => [n % 3, n]).reduceBy((a: number, b: number) => a + b, { partitions: 4 });
    const { plan } = checkPlan([ds.map((n: number) => n + 1).coalesce(2), ds.coalesce(3), summed.coalesce(2).map((k: number, v: number) => [v, k]), ds.zip(ds.map((n: number) => -n)), ds.zipWithUniqueId(), ...ds.randomSplit([1, 1], 3)]);
    expect(plan.sinks[1].parts.map((p) => p.shards.length)).toEqual([1, 1, 2]);
    expect(plan.taskGroups.find((t) => t.name.startsWith('Coalesce.0'))!.input).toMatchObject({ kind: 'shards', shards: [expect.any(String), expect.any(String)] });
  });

  test('a cached dataset is written once to Flow shards and read by later steps', () => {
    const f = new Flow('cache');
    const ds = f.ints([1, 2, 3], 2).map((n: number) => n * 2).cache();
    const { plan } = planFlow('t', [sink(ds.map((n: number) => n + 1)), sink(ds.filter((n: number) => n > 2))], resolveOptions({ executors: 2 }), { prefix: 'cache/ftest/', shardsOf: () => undefined });
    const cacheWriters = plan.taskGroups.filter((t) => t.output.kind === 'shard' && isFlowShard(t.output.shard));
    expect(cacheWriters.map((t) => (t.output as { shard: string }).shard)).toEqual(['cache/ftest/d2-s0', 'cache/ftest/d2-s1']);
  });

  test('parallelize(range(0, 11), 1000).partition(2001): 1000 sectioned map shards, read by the sink directly', () => {
    const f = new Flow('wide');
    const ds = f.parallelize(Array.from({ length: 11 }, (_, i) => i), 1000).partition(2001);
    const { plan } = planFlow('t', [sink(ds)], resolveOptions({ executors: 2 }));
    expect(plan.taskGroups).toHaveLength(1000);
    expect(plan.sinks[0].parts).toHaveLength(2001);
    // All 2001 partitions share one list of the 1000 map shards: nothing is copied per target.
    expect(new Set(plan.sinks[0].parts.map((p) => p.shards)).size).toBe(1);
    expect(plan.sinks[0].parts[2000]).toMatchObject({ section: 2000 });
    expect(plan.taskGroups[999].output).toMatchObject({ kind: 'hash', shard: 'd2-m999', partitions: 2001 });
  });
});

test('every logical step kind has an expansion (operators/index.ts)', () => {
  expect([...PLANNED_STEP_KINDS].sort()).toEqual(
    ['cartesian', 'coGroup', 'coalesce', 'combineByKey', 'csv', 'distinct', 'driverRows', 'groupBy', 'hashJoin', 'intersection', 'join', 'kept', 'limit', 'narrow', 'partition', 'reduce', 'reduceBy', 'sample', 'sort', 'sourceFn', 'subtract', 'textFile', 'top', 'union', 'zip', 'zipWithIndex', 'zipWithUniqueId'],
  );
});
