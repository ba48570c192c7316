// Reads of a shard that does not exist: they wait for a writer (readers may ask first), but a
// shard nobody is about to write fails after the agent's missing-shard bound with NOT_FOUND.
import { decodeRows, encodeRows, encodeValue, type TaskGroupSpec } from '@gleam/executor';
import { grpc, openShardWriter, PartsReader, readShardsFrames } from '@gleam/proto';
import { startAgent, type AgentHandle } from '../src';
import { client, execute, readShard, silent, useAgent, writeShard } from './helpers';

const T = 20_000;
const BOUND = 300;

const fx = useAgent({ executors: 1, memoryMb: 16, heartbeatMs: 1000, missingShardTimeoutMs: BOUND }, T);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect(frames: AsyncIterable<Uint8Array>): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const f of frames) rows.push(...decodeRows(f));
  return rows;
}

test('ReadShard of a shard nobody writes fails after the bound with NOT_FOUND naming the shard and the agent', async () => {
  const t0 = Date.now();
  await expect(readShard(client(fx.agent.address), 'm1/none')).rejects.toMatchObject({
    code: grpc.status.NOT_FOUND,
    details: expect.stringMatching(new RegExp(`^shard m1/none does not exist on agent ${fx.agent.address.replace(/\./g, '\\.')}: nothing wrote it within ${BOUND} ms`)),
  });
  const took = Date.now() - t0;
  expect(took).toBeGreaterThanOrEqual(BOUND - 20);
  expect(took).toBeLessThan(5000);
}, T);

test('ReadShards and ReadParts fail the same way, after the frames of the shards that exist', async () => {
  const c = client(fx.agent.address);
  await writeShard(c, 'm2/a', [encodeRows([['a']])]);
  const got: unknown[][] = [];
  const many = (async () => {
    for await (const f of readShardsFrames(c, ['m2/a', 'm2/none'])) got.push(...decodeRows(f));
  })();
  await expect(many).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: expect.stringContaining('shard m2/none does not exist on agent') });
  expect(got).toEqual([['a']]);
  const parts = new PartsReader(c, [{ shards: ['m2/a'] }, { shards: ['m2/gone'] }]);
  expect(await collect(parts.part())).toEqual([['a']]);
  await expect(collect(parts.part())).rejects.toMatchObject({ code: grpc.status.NOT_FOUND, details: expect.stringContaining('shard m2/gone does not exist on agent') });
}, T);

test('a shard that appears within the bound is read normally', async () => {
  const c = client(fx.agent.address);
  const reading = readShard(c, 'm3/late');
  await sleep(BOUND / 2);
  await writeShard(c, 'm3/late', [encodeRows([[1], [2]])]);
  expect((await reading).flatMap((f) => decodeRows(f))).toEqual([[1], [2]]);
}, T);

test('an open WriteShard stream keeps its readers waiting past the bound', async () => {
  const c = client(fx.agent.address);
  const w = openShardWriter(c, 'm4/slow');
  await sleep(100); // the stream's headers reach the agent before any frame
  const reading = readShard(c, 'm4/slow');
  await sleep(BOUND * 3);
  await w.write(encodeRows([['slow']]));
  await w.end();
  expect((await reading).flatMap((f) => decodeRows(f))).toEqual([['slow']]);
}, T);

function copyTask(job: string, input: string, output: string): TaskGroupSpec {
  return { id: `${job}-${output}`, name: `Copy.${output}`, stepGroup: 1, partition: 0, input: { kind: 'shards', shards: [input] }, instructions: [], output: { kind: 'shard', shard: output } };
}

test('outputs of a running or queued task keep their readers waiting past the bound', async () => {
  const c = client(fx.agent.address);
  // The agent's only executor runs a task blocked on an input still being written; a second task
  // waits in the queue behind it. Their outputs do not exist yet.
  const input = openShardWriter(c, 'm5/in-a');
  await writeShard(c, 'm5/in-b', [encodeRows([['b']])]);
  const first = execute(c, { jobId: 'm5', task: encodeValue(copyTask('m5', 'm5/in-a', 'm5/out-a')), shardLocations: {} });
  const second = execute(c, { jobId: 'm5', task: encodeValue(copyTask('m5', 'm5/in-b', 'm5/out-b')), shardLocations: {} });
  await sleep(100);
  const outA = readShard(c, 'm5/out-a');
  const outB = readShard(c, 'm5/out-b');
  await sleep(BOUND * 3);
  await input.write(encodeRows([['a']]));
  await input.end();
  expect((await first).map((e) => e.event)).toEqual(['started', 'done']);
  expect((await second).map((e) => e.event)).toEqual(['started', 'done']);
  expect((await outA).flatMap((f) => decodeRows(f))).toEqual([['a']]);
  expect((await outB).flatMap((f) => decodeRows(f))).toEqual([['b']]);
  // Once the tasks are over, a name they never wrote is missing again.
  await expect(readShard(c, 'm5/out-c')).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
}, T);

test('the bound is an agent option: a positive number of ms', async () => {
  await expect(startAgent({ master: fx.master.address, port: 0, missingShardTimeoutMs: 0, logger: silent })).rejects.toThrow(/missing-shard timeout \(ms\) must be a positive integer, got 0/);
}, T);
