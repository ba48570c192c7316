// persist('DISK_ONLY') on a cluster: the cached partitions stay on the agents as spill files and
// hold no memory there (the agents report their shard memory), while MEMORY_AND_DISK holds them in
// memory; both are computed once and read by later actions.
import { Flow } from '@gleam/flow-dsl';
import { callMetadata, createMasterClient, unary, type MasterClient } from '@gleam/proto';
import { waitFor } from '../streaming/helpers';
import { clusterForTests } from '../helpers/suiteCluster';

jest.setTimeout(90000);

const cluster = clusterForTests({ agents: 2 });
let client: MasterClient;
afterAll(() => client?.close());

async function agentShards(): Promise<{ shards: number; memory: number }> {
  client ??= createMasterClient(cluster().master);
  const st = await unary(client.ClusterStatus.bind(client), {}, callMetadata(undefined), 5000);
  return st.agents.reduce((a, x) => ({ shards: a.shards + x.shards, memory: a.memory + Number(x.shardMemoryBytes) }), { shards: 0, memory: 0 });
}

test.each([
  ['DISK_ONLY', (m: number) => expect(m).toBe(0)],
  ['MEMORY_AND_DISK', (m: number) => expect(m).toBeGreaterThan(100000)],
] as const)('%s: cached once on the agents, memory held there as the level says', async (level, checkMemory) => {
  const flow = new Flow(`levels ${level}`);
  const opts = { master: cluster().master };
  // ~400 KB of rows over 4 partitions.
  const data = flow.ints(Array.from({ length: 4000 }, (_, i) => i), 4).map((x: number) => [x, 'x'.repeat(100)]).persist(level);
  try {
    expect(await data.count(opts)).toBe(4000);
    // The cached shards are reported by the agents' heartbeats.
    await waitFor(async () => (await agentShards()).shards >= 4, 'the agents to report the cached shards', 10000);
    checkMemory((await agentShards()).memory);
    const rows = await data.filter((x: number) => x % 1000 === 0).collect(opts);
    expect(rows.map((r) => r[0]).sort((a, b) => (a as number) - (b as number))).toEqual([0, 1000, 2000, 3000]);
  } finally {
    await flow.close();
  }
  await waitFor(async () => (await agentShards()).shards === 0, 'the agents to drop the cached shards', 10000);
});
