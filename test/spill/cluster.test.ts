// Bounded operator memory on a cluster: agents at --memory 4 (2 MB of operator state per task)
// sort, group and join state many times that size; the results equal the local in-memory run,
// the agents spill to files in their own dirs, and no file is left when the job is done.
import { Flow, type Dataset } from '@gleam/flow-dsl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { sorted } from '../operators/helpers';
import { runDatasets, spillsLeft, watchSpills, type Outputs } from './helpers';

jest.setTimeout(180000);

const N = 60000;

function rows(n: number, keys: number, seed: number): unknown[][] {
  let x = seed;
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.push([`key-${x % keys}`, `value-${i}-${'y'.repeat(x % 50)}`]);
  }
  return out;
}

async function run(opts: object): Promise<Outputs> {
  const f = new Flow('spill on a cluster');
  const left = f.slices(rows(N, 20000, 7), 4);
  const right = f.slices(rows(N / 3, 25000, 9), 2);
  const datasets: Record<string, Dataset<any>> = {
    sort: left.sort({ by: [2] }),
    groupBy: left.groupBy(),
    join: left.join(right),
  };
  return runDatasets(f, datasets, opts);
}

let cluster: TestCluster;
beforeAll(async () => {
  cluster = await startCluster({ agents: 2, executors: 2, memoryMb: 4 });
});
afterAll(async () => {
  await cluster?.stop();
});

test('sort, groupBy and join over budget on agents at --memory 4 spill, give the in-memory results and leave no spill files', async () => {
  const spills = watchSpills(cluster.agents.map((a) => a.dir));
  let remote: Outputs;
  try {
    remote = await run({ master: cluster.master, partitions: 4 });
  } finally {
    spills.stop();
  }
  expect(spills.seen.size).toBeGreaterThan(4);
  for (const a of cluster.agents) expect(spillsLeft(a.dir)).toEqual([]);
  const local = await run({ executors: 2, partitions: 4 });
  expect(remote.sort).toEqual(local.sort);
  expect(sorted(remote.join)).toEqual(sorted(local.join));
  const groups = (rs: unknown[][]) => sorted(rs.map((r) => [r[0], sorted(r[1] as unknown[])]));
  expect(groups(remote.groupBy)).toEqual(groups(local.groupBy));
});
