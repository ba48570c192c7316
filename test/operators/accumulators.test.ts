// Accumulators: UDFs add through params.acc.add(x), the driver reads acc.value after an action.
// Exact values locally (2 executors) and on a real cluster (a master and 2 agents × 2
// executors); a task that runs again (its executor thread, or its agent, died) counts once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, type JobEvent } from '@gleam/flow-dsl';
import { clusterForTests } from '../helpers/suiteCluster';
import { range, tempDir } from './helpers';

jest.setTimeout(120000);

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const local = { executors: 2 };

describe('accumulators, locally (2 executors)', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('accumulators')));
  afterEach(() => cleanup());

  test('map, filter and forEach add exactly once per row; each action adds its own job', async () => {
    const flow = new Flow('acc');
    const seen = flow.accumulator(0);
    const dropped = flow.accumulator(10);
    const doubled = flow
      .ints(range(100), 4)
      .map((x: number) => { params.seen.add(x); return x * 2; }, { params: { seen } })
      .filter((x: number) => { if (x % 3 === 0) return true; params.dropped.add(1); return false; }, { params: { dropped } });
    expect(await doubled.count(local)).toBe(34);
    expect(seen.value).toBe(sum(range(100)));
    expect(dropped.value).toBe(10 + 66);
    // A transformation runs again for every action that computes it: its additions count again.
    const rows: number[] = [];
    await doubled.forEach((x) => void rows.push(x), local);
    expect(rows).toHaveLength(34);
    expect(seen.value).toBe(2 * sum(range(100)));
    expect(dropped.value).toBe(10 + 2 * 66);
  });

  test('a cached dataset counts in the job that computes it, not in the jobs that read it', async () => {
    const flow = new Flow('acc cached');
    const acc = flow.accumulator(0);
    const d = flow.ints(range(10), 2).map((x: number) => { params.acc.add(1); return x; }, { params: { acc } }).cache();
    try {
      expect(await d.count(local)).toBe(10);
      expect(await d.collect(local)).toHaveLength(10);
      expect(acc.value).toBe(10);
    } finally {
      await flow.close();
    }
  });

  test('value while a job runs is the value before it; a failed job adds nothing', async () => {
    const flow = new Flow('acc running');
    const acc = flow.accumulator(0);
    const during: number[] = [];
    await flow
      .ints(range(10), 2)
      .map((x: number) => { params.acc.add(1); return x; }, { params: { acc } })
      .forEach(() => void during.push(acc.value), local);
    expect(during).toEqual(new Array(10).fill(0));
    expect(acc.value).toBe(10);
    await expect(
      flow
        .ints(range(10), 2)
        .map((x: number) => { params.acc.add(1); if (x === 7) throw new Error('no seven'); return x; }, { params: { acc } })
        .collect(local),
    ).rejects.toThrow('the UDF threw Error: no seven');
    expect(acc.value).toBe(10);
  });

  test('a task whose executor thread died runs again and counts once', async () => {
    const marker = path.join(dir, 'died-once');
    const events: JobEvent[] = [];
    const flow = new Flow('acc retried');
    const acc = flow.accumulator(0);
    // Partition 1's first attempt adds 10..14, then its thread ends.
    const rows = await flow
      .ints(range(20), 2)
      .map('(x) => { params.acc.add(x); const fs = require("fs"); if (x === 15 && !fs.existsSync(params.marker)) { fs.writeFileSync(params.marker, ""); process.exit(3); } return [x % 4, x]; }', { params: { acc, marker } })
      .reduceBy((a: number, b: number) => a + b)
      .collect({ executors: 2, onEvent: (e) => events.push(e) });
    expect(rows).toHaveLength(4);
    expect(events.some((e) => e.type === 'taskStarted' && e.attempt === 2)).toBe(true);
    expect(acc.value).toBe(sum(range(20)));
  });

  test('a custom merge: a set kept as a sorted array, counts in an object, bigints', async () => {
    const flow = new Flow('acc merge');
    const words = flow.accumulator<string[]>([], { merge: (a, b) => [...new Set([...a, ...b])].sort() });
    const counts = flow.accumulator<Record<string, number>>({ seed: 1 }, {
      merge: (a, b) => {
        for (const k of Object.keys(b)) a[k] = (a[k] ?? 0) + b[k];
        return a;
      },
    });
    const big = flow.accumulator(0n);
    await flow
      .strings(['a b', 'b c', 'c a', 'd'], 3)
      .flatMap((line: string) => line.split(' '), {})
      .map((w: string) => { params.words.add([w]); params.counts.add({ [w]: 1 }); params.big.add(BigInt(w.charCodeAt(0))); return w; }, { params: { words, counts, big } })
      .count(local);
    expect(words.value).toEqual(['a', 'b', 'c', 'd']);
    expect(counts.value).toEqual({ seed: 1, a: 2, b: 2, c: 2, d: 1 });
    expect(big.value).toBe(BigInt(2 * 97 + 2 * 98 + 2 * 99 + 100));
    // The driver may add too.
    big.add(1n);
    expect(big.value).toBe(BigInt(2 * 97 + 2 * 98 + 2 * 99 + 101));
  });

  test('bad use is refused with a clear error', async () => {
    const flow = new Flow('acc errors');
    expect(() => flow.accumulator('x')).toThrow(/initial value is "x"; without a merge function an accumulator adds numbers \(or bigints\)/);
    expect(() => flow.accumulator(0, { merge: 'not a function' as unknown as (a: number, b: number) => number })).toThrow(/does not compile/);
    const acc = flow.accumulator(0);
    await expect(flow.strings(['a'], 1).map((s: string) => { params.acc.add(s); return s; }, { params: { acc } }).collect(local)).rejects.toThrow(
      /accumulator #\d+ adds numbers \(made without a merge function\), but add\(\) got string; make it with flow\.accumulator\(initial, \{ merge/,
    );
    expect(acc.value).toBe(0);
    const other = new Flow('other').accumulator(0);
    await expect(flow.ints([1], 1).map((x: number) => { params.other.add(x); return x; }, { params: { other } }).collect(local)).rejects.toThrow(
      /step "map#\d+": accumulator #\d+ in its params was made by another Flow; make it with this Flow's accumulator\(\)/,
    );
    // Captured instead of passed in params: the usual UDF message.
    await expect(flow.ints([1], 1).map((x: number) => { acc.add(x); return x; }).collect(local)).rejects.toThrow(/uses "acc", which is not defined inside it/);
    expect(() => acc.add('1' as unknown as number)).toThrow(/adds numbers/);
  });
});

describe('accumulators on a cluster (master + 2 agents × 2 executors)', () => {
  const flow = new Flow('acc cluster');
  const cluster = clusterForTests({ agents: 2, executors: 2 }, flow);

  test('map, filter, forEach and a custom merge: exact values', async () => {
    const opts = { master: cluster().master };
    const seen = flow.accumulator(0);
    const odd = flow.accumulator<number[]>([], { merge: (a, b) => a.concat(b).sort((x, y) => x - y) });
    const ds = flow
      .ints(range(1000), 8)
      .map((x: number) => { params.seen.add(x); return x; }, { params: { seen } })
      .filter((x: number) => { if (x % 100 === 1) params.odd.add([x]); return x % 2 === 0; }, { params: { odd } });
    expect(await ds.count(opts)).toBe(500);
    expect(seen.value).toBe(sum(range(1000)));
    expect(odd.value).toEqual([1, 101, 201, 301, 401, 501, 601, 701, 801, 901]);
    let n = 0;
    await ds.forEach(() => void n++, opts);
    expect(n).toBe(500);
    expect(seen.value).toBe(2 * sum(range(1000)));
  });
});

// What a UDF sees: its own params (the UDFs above run in executors, never here).
declare const params: any;

describe('accumulators when an agent is lost mid-job (master + 2 agents × 2 executors)', () => {
  const flow = new Flow('acc lost agent');
  const cluster = clusterForTests({ agents: 2, executors: 2, agentTimeoutMs: 3000, heartbeatMs: 500 }, flow);

  test('tasks that finished on the killed agent run again (their output was lost) and count once', async () => {
    const acc = flow.accumulator(0);
    const events: JobEvent[] = [];
    let killed = false;
    // Each map task adds its rows at once, then its pipe sleeps a second: 8 tasks on 4 slots run
    // in two waves, and the agent that finishes a first-wave task is killed with its output.
    const rows = await flow
      .parallelize(range(3000), 8)
      .map((x: number) => { params.acc.add(x); return x; }, { params: { acc } })
      .pipe('sleep 1; cat')
      .map((x: string) => [Number(x) % 10, 1])
      .reduceBy((a: number, b: number) => a + b)
      .collect({
        master: cluster().master,
        onEvent: (e) => {
          events.push(e);
          if (killed || e.type !== 'taskFinished' || e.stage !== 0) return;
          killed = true;
          cluster().killAgent(cluster().agents.findIndex((a) => a.address === e.location));
        },
      });
    expect(rows.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(range(10).map((k) => [k, 300]));
    const finished = new Set(events.filter((e) => e.type === 'taskFinished' && e.stage === 0).map((e) => (e as { task: string }).task));
    const again = events.filter((e) => e.type === 'taskStarted' && e.attempt > 1).map((e) => (e as { task: string }).task);
    // Some task's accepted attempt was thrown away and replaced: its additions still count once.
    expect(again.some((t) => finished.has(t))).toBe(true);
    expect(acc.value).toBe(sum(range(3000)));
  });
});
