// persist('MEMORY_ONLY'): partitions that fit in the shard store's memory are kept; those that had
// to spill are dropped after the job that computed them and recomputed from lineage by the next
// action that reads them (only those partitions), locally (run option memoryMB) and on a cluster
// (agents' --memory). An accumulator counts the rows the map really computed; the tasks' stats
// (job events) say exactly which partitions spilled.
import { Flow, type JobEvent } from '@gleam/flow-dsl';
import { clusterForTests } from '../helpers/suiteCluster';

jest.setTimeout(120000);

const ROWS = 4000;
const PARTS = 4;
// ~600 KB per partition: with a 1 MB budget a partition fits when little else is held, not two.
const PAD = 600;

function build(flow: Flow, level: 'MEMORY_ONLY' | 'MEMORY_AND_DISK') {
  const computed = flow.accumulator(0);
  const data = flow
    .ints(Array.from({ length: ROWS }, (_, i) => i), PARTS)
    .map((x: number) => { params.computed.add(1); return [x, 'x'.repeat(params.pad)]; }, { params: { computed, pad: PAD } })
    .persist(level);
  return { computed, data };
}

/** Run options that record how many cached partitions each job's tasks reported spilled. */
function spillCounter(base: object) {
  let spilled = 0;
  const opts = {
    ...base,
    onEvent: (e: JobEvent) => {
      if (e.type === 'taskFinished') spilled += e.stats.spilledShards?.length ?? 0;
    },
  };
  return { opts, take: () => { const n = spilled; spilled = 0; return n; } };
}

async function checkRecompute(level: 'MEMORY_ONLY' | 'MEMORY_AND_DISK', base: object, expectSpill: boolean) {
  const flow = new Flow(`memory only ${level}`);
  const { computed, data } = build(flow, level);
  const counter = spillCounter(base);
  try {
    expect(await data.count(counter.opts)).toBe(ROWS);
    expect(computed.value).toBe(ROWS);
    const spilled1 = counter.take();
    if (level === 'MEMORY_AND_DISK') expect(spilled1).toBe(0); // only MEMORY_ONLY shards are reported
    if (expectSpill) {
      expect(spilled1).toBeGreaterThanOrEqual(1);
      expect(spilled1).toBeLessThan(PARTS); // some partitions fit
    } else expect(spilled1).toBe(0);
    // The next action reads the cached dataset: exactly the dropped partitions are computed again.
    const rows = await data.filter((x: number) => x % 500 === 0).collect(counter.opts);
    expect(rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500]);
    expect(rows.every((r) => r[1] === 'x'.repeat(PAD))).toBe(true);
    expect(computed.value).toBe(ROWS + spilled1 * (ROWS / PARTS));
    // And again on the next action: recomputed partitions that spilled again are dropped again.
    const spilled2 = counter.take();
    expect(await data.count(counter.opts)).toBe(ROWS);
    expect(computed.value).toBe(ROWS + (spilled1 + spilled2) * (ROWS / PARTS));
  } finally {
    await flow.close();
  }
}

describe('locally', () => {
  test('MEMORY_ONLY under a 1.5 MB budget: spilled partitions are recomputed from lineage by the next action, only those', () =>
    checkRecompute('MEMORY_ONLY', { executors: 2, memoryMB: 1.5 }, true));

  test('MEMORY_AND_DISK under the same budget keeps the spilled partitions: computed once', () =>
    checkRecompute('MEMORY_AND_DISK', { executors: 2, memoryMB: 1.5 }, false));

  test('MEMORY_ONLY with room for everything: computed once', () => checkRecompute('MEMORY_ONLY', { executors: 2 }, false));

  test('a bad memoryMB is refused with the reason; a level change needs unpersist()', async () => {
    const flow = new Flow('bad memory');
    const d = flow.ints([1, 2, 3]);
    await expect(d.count({ memoryMB: 0 })).rejects.toThrow('run: memoryMB must be a positive number of megabytes, got 0');
    d.persist('MEMORY_ONLY');
    expect(() => d.persist('DISK_ONLY')).toThrow('persist: this dataset is already persisted at another storage level (MEMORY_ONLY); unpersist() it first');
    expect(await d.count({ executors: 1 })).toBe(3);
    expect(await d.unpersist()).toBe(d);
    expect(flow.cachesDataNow()).toBe(false);
    expect(await d.persist('DISK_ONLY').count({ executors: 1 })).toBe(3);
    await flow.close();
  });
});

describe('on a cluster (2 agents with --memory 1)', () => {
  const cluster = clusterForTests({ agents: 2, executors: 1, memoryMb: 1 });
  test('MEMORY_ONLY: spilled partitions are dropped on the agents and recomputed there by the next action', () =>
    checkRecompute('MEMORY_ONLY', { master: cluster().master }, true));
});
