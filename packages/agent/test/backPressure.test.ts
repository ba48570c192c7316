// A 200 MB shard read by a slow consumer: the agent holds back (memory stays bounded), and the
// same shard read at full speed gives the ReadShard throughput (printed, never asserted).
import { decodeRows, encodeRows, encodeValue, type TaskGroupSpec } from '@gleam/executor';
import { openShardWriter, readShardFrames } from '@gleam/proto';
import { startAgent, type AgentHandle } from '../src';
import { client, closeClients, execute, readShard, silent, startRecordingMaster, type RecordingMaster } from './helpers';

const T = 120_000;
const FRAMES = 800;
const PAYLOAD = 256 * 1024 - 32;
const MB = 1024 * 1024;

let master: RecordingMaster;
let a: AgentHandle;
let b: AgentHandle;
let shardBytes = 0;

function frame(i: number): Uint8Array {
  return encodeRows([[i, Buffer.alloc(PAYLOAD, i & 0xff)]]);
}

function check(f: Uint8Array, i: number): void {
  const [[n, bytes]] = decodeRows(f) as [[number, Uint8Array]];
  if (n !== i || bytes.length !== PAYLOAD || bytes[0] !== (i & 0xff) || bytes[PAYLOAD - 1] !== (i & 0xff)) throw new Error(`frame ${i} is wrong (got row ${n})`);
}

beforeAll(async () => {
  master = await startRecordingMaster();
  // A small memory budget: the 200 MB shard spills, so the store itself does not hide growth.
  [a, b] = await Promise.all([
    startAgent({ master: master.address, port: 0, executors: 1, memoryMb: 16, logger: silent }),
    startAgent({ master: master.address, port: 0, executors: 1, memoryMb: 16, logger: silent }),
  ]);
  // Streamed, one frame at a time (honouring the writer's back pressure).
  const w = openShardWriter(client(a.address), 'big/s0');
  for (let i = 0; i < FRAMES; i++) await w.write(frame(i));
  const res = await w.end();
  shardBytes = res.bytes;
  expect(res.frames).toBe(FRAMES);
}, T);

afterAll(async () => {
  closeClients();
  await Promise.all([a?.stop(), b?.stop()]);
  await master?.stop();
}, T);

test('a slow reader of a 200 MB shard gets every frame in order, with memory bounded', async () => {
  const m0 = process.memoryUsage();
  let peakRss = m0.rss;
  let peakBuffers = m0.arrayBuffers;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
  }, 20);
  try {
    let i = 0;
    for await (const f of readShardFrames(client(a.address), 'big/s0')) {
      check(f, i++);
      // Slow for the first quarter: the agent would push the rest ahead without back pressure.
      if (i < FRAMES / 4) await new Promise((r) => setTimeout(r, 10));
    }
    expect(i).toBe(FRAMES);
  } finally {
    clearInterval(sampler);
  }
  const rssMb = (peakRss - m0.rss) / MB;
  const buffersMb = (peakBuffers - m0.arrayBuffers) / MB;
  console.log(`slow reader of a ${(shardBytes / MB).toFixed(0)} MB shard (agent and reader in one process): RSS +${rssMb.toFixed(0)} MB, buffers +${buffersMb.toFixed(0)} MB at most`);
  // Without back pressure the whole shard (200 MB) would pile up in buffers.
  expect(buffersMb).toBeLessThan(120);
}, T);

test('ReadShard throughput between agents (printed)', async () => {
  // Raw frames over gRPC, as a peer agent reads them.
  const t0 = process.hrtime.bigint();
  const frames = await readShard(client(a.address), 'big/s0');
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  expect(frames.length).toBe(FRAMES);
  // A task on agent B reading the shard from agent A (decoded by B's executor thread).
  const spec: TaskGroupSpec = { id: 'tp', name: 'Count.0', stepGroup: 1, partition: 0, input: { kind: 'shards', shards: ['big/s0'] }, instructions: [{ op: 'countRows', step: 'count#1' }], output: { kind: 'shard', shard: 'tp/out' } };
  const t1 = process.hrtime.bigint();
  const events = await execute(client(b.address), { jobId: 'tp', task: encodeValue(spec), shardLocations: { 'big/s0': a.address } });
  const s2 = Number(process.hrtime.bigint() - t1) / 1e9;
  expect(events.map((e) => e.event)).toEqual(['started', 'done']);
  expect(events[1].done?.rowsIn).toBe(FRAMES);
  expect((await readShard(client(b.address), 'tp/out')).flatMap((f) => decodeRows(f))).toEqual([[FRAMES]]);
  console.log(
    `ReadShard ${(shardBytes / MB).toFixed(0)} MB (spilled, one process): ${(shardBytes / MB / s).toFixed(0)} MB/s raw; ` +
      `${(shardBytes / MB / s2).toFixed(0)} MB/s into a task on a second agent`,
  );
}, T);
