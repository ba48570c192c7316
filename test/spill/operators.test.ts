// Bounded operator memory (issue 13 point 1): with a local memoryMB far below the state each
// stateful operator holds, every one spills to disk and still gives exactly the rows of the
// in-memory run; the spill files appear while the job runs and are gone when it ends.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, type Dataset } from '@gleam/flow-dsl';
import { sorted } from '../operators/helpers';
import { localSpillDir, runDatasets, spillsLeft, watchSpills, type Outputs } from './helpers';

jest.setTimeout(120000);

// memoryMB 1 over 2 executors: half a megabyte of operator state per task, against ~8 MB of rows.
const TINY = { executors: 2, memoryMB: 1 };
const UNBOUNDED = { executors: 2 };
const N = 40000;

/** Deterministic pseudo-random integers (xorshift), so both runs see the same input. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

function records(n: number, keys: number, seed: number): unknown[][] {
  const r = rng(seed);
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(r() * keys);
    // Mixed key kinds (strings and numbers) exercise the typed order and the canonical keys.
    rows.push([k % 7 === 0 ? k : `k${k}`, `payload-${i}-${'x'.repeat(Math.floor(r() * 60))}`]);
  }
  return rows;
}

async function run(opts: object): Promise<Outputs> {
  const f = new Flow('spill operators');
  const left = f.slices(records(N, 12000, 1), 4);
  const right = f.slices(records(N / 2, 15000, 2), 3);
  const nums = f.slices(records(N, 5000, 3).map((r, i) => [r[0], i % 13]), 4);
  const datasets: Record<string, Dataset<any>> = {
    sort: left.sort({ by: [[1, 'asc'], [2, 'desc']] }),
    sortOne: left.map((k: unknown, v: string) => [v, k]).sort({ by: [1] }),
    join: left.join(right),
    leftJoin: left.leftOuterJoin(right),
    fullJoin: left.fullOuterJoin(right),
    coGroup: left.coGroup(right),
    groupBy: left.groupBy(),
    reduceBy: nums.reduceBy((a: number, b: number) => a + b),
    reduceByLists: nums.map((k: unknown, v: number) => [k, [v]]).reduceBy((a: number[], b: number[]) => a.concat(b)),
    distinct: nums.distinct(),
    distinctBy: left.distinct({ by: [1] }),
    top: left.top(500, { by: [2] }),
  };
  return runDatasets(f, datasets, opts);
}

/** Rows with every list field sorted: the order inside a group is not defined. */
function groupsSorted(rows: unknown[][]): unknown[][] {
  return sorted(rows.map((r) => r.map((v) => (Array.isArray(v) ? sorted(v) : v))));
}

test('sort, joins, coGroup, groupBy, reduceBy, distinct and top over a tiny budget give the in-memory results, spilling to files that are removed', async () => {
  const spillDir = localSpillDir();
  const spills = watchSpills([spillDir]);
  let bounded: Outputs;
  try {
    bounded = await run(TINY);
  } finally {
    spills.stop();
  }
  // Named so the agent's stale-spill cleanup matches them (<...>.<pid>-<8 hex>.<n>.spill).
  expect(spills.seen.size).toBeGreaterThan(20);
  for (const name of spills.seen) expect(path.basename(name)).toMatch(/\.(\d+)-[0-9a-f]{8}\.\d+\.spill$/);
  expect(spillsLeft(spillDir)).toEqual([]);
  // The local runner removes its default spill directory once it is empty.
  expect(fs.existsSync(spillDir)).toBe(false);

  const expected = await run(UNBOUNDED);
  expect(bounded.sort.length).toBe(N);
  // A global sort's order is defined (ties of both fields keep no particular order: there are none).
  expect(bounded.sort).toEqual(expected.sort);
  expect(bounded.sortOne).toEqual(expected.sortOne);
  expect(bounded.top).toEqual(expected.top);
  for (const name of ['join', 'leftJoin', 'fullJoin', 'reduceBy', 'distinct', 'distinctBy']) {
    expect([name, sorted(bounded[name])]).toEqual([name, sorted(expected[name])]);
  }
  for (const name of ['coGroup', 'groupBy', 'reduceByLists']) {
    expect([name, groupsSorted(bounded[name])]).toEqual([name, groupsSorted(expected[name])]);
  }
  expect(bounded.join.length).toBeGreaterThan(N);
});

test('a task that fails after spilling removes its spill files', async () => {
  const spillDir = localSpillDir();
  const spills = watchSpills([spillDir]);
  const f = new Flow('spill then fail');
  const failing = f
    .slices(records(N, 12000, 4), 2)
    .sort({ by: [1] })
    .map((k: unknown, v: string) => {
      if (v.startsWith('payload-39999-')) throw new Error('boom after the merge started');
      return [k, v];
    });
  try {
    await expect(failing.collect({ ...TINY, maxTaskAttempts: 1 })).rejects.toThrow(/boom after the merge started/);
  } finally {
    spills.stop();
  }
  expect(spills.seen.size).toBeGreaterThan(2);
  expect(spillsLeft(spillDir)).toEqual([]);
});
