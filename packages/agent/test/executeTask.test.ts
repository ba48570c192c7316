// ExecuteTask: task groups on the agent's executor pool, reading local and remote shards.
import { decodeRows, encodeRows, encodeValue, type InstructionSpec, type TaskGroupSpec } from '@gleam/executor';
import { grpc, type AgentStatus__Output, type TaskEvent__Output } from '@gleam/proto';
import { startAgent, type AgentHandle } from '../src';
import { client, closeClients, execute, readShard, silent, startRecordingMaster, unaryCall, writeShard, type RecordingMaster } from './helpers';

const T = 30_000;

let master: RecordingMaster;
let a: AgentHandle;
let b: AgentHandle;

beforeAll(async () => {
  master = await startRecordingMaster();
  [a, b] = await Promise.all([
    startAgent({ master: master.address, port: 0, executors: 2, memoryMb: 64, logger: silent }),
    startAgent({ master: master.address, port: 0, executors: 1, memoryMb: 64, logger: silent }),
  ]);
}, T);

afterAll(async () => {
  closeClients();
  await Promise.all([a?.stop(), b?.stop()]);
  await master?.stop();
}, T);

function spec(job: string, inputs: string[], instructions: InstructionSpec[], out: string): TaskGroupSpec {
  return { id: `${job}-tg`, name: `Map.0`, stepGroup: 2, partition: 0, input: { kind: 'shards', shards: inputs }, instructions, output: { kind: 'shard', shard: out } };
}

const double: InstructionSpec = { op: 'map', step: 'map#2', udf: { source: '(x) => [x, x * 2]' } };

test('runs a task group on local input shards: started, done with stats, exact output rows', async () => {
  const ca = client(a.address);
  await writeShard(ca, 'j1/d1-s0', [encodeRows([[1], [2]]), encodeRows([[3]])]);
  await writeShard(ca, 'j1/d1-s1', [encodeRows([[4]])]);
  const events = await execute(ca, { jobId: 'j1', task: encodeValue(spec('j1', ['j1/d1-s0', 'j1/d1-s1'], [double], 'j1/d2-s0')), shardLocations: {} });
  expect(events.map((e) => e.event)).toEqual(['started', 'done']);
  expect(events[0].started?.executor).toBeGreaterThanOrEqual(0);
  expect(events[1].done).toMatchObject({ rowsIn: 4, rowsOut: 4 });
  expect(events[1].done?.framesOut).toBeGreaterThanOrEqual(1);
  expect(events[1].done?.bytesOut).toBeGreaterThan(0);
  const rows = (await readShard(ca, 'j1/d2-s0')).flatMap((f) => decodeRows(f));
  expect(rows).toEqual([[1, 2], [2, 4], [3, 6], [4, 8]]);
}, T);

test('reads an input shard hosted by a second agent (shardLocations)', async () => {
  const ca = client(a.address);
  const cb = client(b.address);
  await writeShard(cb, 'j2/d1-s0', [encodeRows([[10], [20]]), encodeRows([[30]])]);
  const events = await execute(ca, { jobId: 'j2', task: encodeValue(spec('j2', ['j2/d1-s0'], [double], 'j2/d2-s0')), shardLocations: { 'j2/d1-s0': b.address } });
  expect(events.map((e) => e.event)).toEqual(['started', 'done']);
  const rows = (await readShard(ca, 'j2/d2-s0')).flatMap((f) => decodeRows(f));
  expect(rows).toEqual([[10, 20], [20, 40], [30, 60]]);
  // Writes went to the agent running the task, not to the one hosting the input.
  const st = await unaryCall<AgentStatus__Output>((md, cb2) => cb.Status({}, md, cb2));
  expect(st.shards).toBe(1);
}, T);

test('a remote input whose writer failed fails the task with the writer message', async () => {
  const ca = client(a.address);
  const cb = client(b.address);
  const call = cb.WriteShard(
    (await import('@gleam/proto')).callMetadata(undefined, { 'x-gleam-shard': 'j5/d1-s0' }),
    () => undefined,
  );
  call.on('error', () => undefined);
  call.write(encodeRows([[1]]));
  call.write(new Uint8Array(0), () => call.cancel());
  const events = await execute(ca, { jobId: 'j5', task: encodeValue(spec('j5', ['j5/d1-s0'], [double], 'j5/d2-s0')), shardLocations: { 'j5/d1-s0': b.address } });
  expect(events.map((e) => e.event)).toEqual(['started', 'failed']);
  expect(events[1].failed?.message).toContain('writer of shard j5/d1-s0 went away');
}, T);

test('a UDF that throws ends with a failed event naming the step and the row', async () => {
  const ca = client(a.address);
  await writeShard(ca, 'j3/d1-s0', [encodeRows([[1], [2], [3]])]);
  const boom: InstructionSpec = { op: 'map', step: 'map#2', udf: { source: '(x) => { if (x === 2) throw new Error("no twos"); return [x]; }' } };
  const events = await execute(ca, { jobId: 'j3', task: encodeValue(spec('j3', ['j3/d1-s0'], [boom], 'j3/d2-s0')), shardLocations: {} });
  expect(events.map((e) => e.event)).toEqual(['started', 'failed']);
  const failed = events[1].failed as NonNullable<TaskEvent__Output['failed']>;
  expect(failed.message).toContain('map#2');
  expect(failed.message).toContain('no twos');
  expect(failed.message).toContain('[2]');
  expect(failed.step).toBe('map#2');
  // The output shard is closed with the error, so its readers fail too.
  await expect(readShard(ca, 'j3/d2-s0')).rejects.toMatchObject({ code: grpc.status.ABORTED });
}, T);

test('cancelling ExecuteTask cancels the task (a pipe sleeping 30 s ends quickly)', async () => {
  const ca = client(a.address);
  await writeShard(ca, 'j4/d1-s0', [encodeRows([['a'], ['b']])]);
  const sleepy = spec('j4', ['j4/d1-s0'], [{ op: 'pipe', step: 'pipe#1', command: 'sleep 30' }], 'j4/d2-s0');
  const t0 = Date.now();
  const run = execute(ca, { jobId: 'j4', task: encodeValue(sleepy), shardLocations: {} }, {
    onEvent: (e, call) => {
      if (e.event === 'started') setTimeout(() => call.cancel(), 300);
    },
  });
  await expect(run).rejects.toMatchObject({ code: grpc.status.CANCELLED });
  // The slot comes back: both executors can run tasks again, promptly.
  const sts = await Promise.all(
    [0, 1].map(async (i) => {
      await writeShard(ca, `j4/in-${i}`, [encodeRows([[i]])]);
      return execute(ca, { jobId: 'j4', task: encodeValue(spec('j4', [`j4/in-${i}`], [double], `j4/out-${i}`)), shardLocations: {} });
    }),
  );
  expect(sts.map((ev) => ev.map((e) => e.event))).toEqual([['started', 'done'], ['started', 'done']]);
  expect(Date.now() - t0).toBeLessThan(10_000);
  const st = await unaryCall<AgentStatus__Output>((md, cb) => ca.Status({}, md, cb));
  expect(st.busy).toBe(0);
}, T);

test('more tasks than executors queue and all finish', async () => {
  const cb = client(b.address); // one executor
  await writeShard(cb, 'j6/in', [encodeRows([[1], [2]])]);
  const runs = [0, 1, 2].map((i) =>
    execute(cb, { jobId: 'j6', task: encodeValue(spec('j6', ['j6/in'], [double], `j6/out-${i}`)), shardLocations: {} }),
  );
  const all = await Promise.all(runs);
  expect(all.map((ev) => ev.map((e) => e.event))).toEqual([['started', 'done'], ['started', 'done'], ['started', 'done']]);
  for (let i = 0; i < 3; i++) expect((await readShard(cb, `j6/out-${i}`)).flatMap((f) => decodeRows(f))).toEqual([[1, 2], [2, 4]]);
}, T);

test('an undecodable task is refused with INVALID_ARGUMENT', async () => {
  const ca = client(a.address);
  await expect(execute(ca, { jobId: 'x', task: Buffer.from([0xc1]), shardLocations: {} })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
}, T);
