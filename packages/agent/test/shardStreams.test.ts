// The agent's shard RPCs, heartbeats, status and secret, against an in-process agent.
import { decodeRows, encodeRows } from '@gleam/executor';
import { spawn } from 'node:child_process';
import { callMetadata, grpc, openShardWriter, readShardFrames, SHARD_METADATA_KEY, type AgentStatus__Output } from '@gleam/proto';
import { startAgent, type AgentHandle } from '../src';
import { client, readShard, type RecordingMaster, silent, startRecordingMaster, unaryCall, useAgent, waitFor, writeShard } from './helpers';

const T = 20_000;

const fx = useAgent({ executors: 2, memoryMb: 64, heartbeatMs: 100 }, T);

function status(): Promise<AgentStatus__Output> {
  const c = client(fx.agent.address);
  return unaryCall<AgentStatus__Output>((md, cb) => c.Status({}, md, cb));
}

test('heartbeats arrive right away and every heartbeatMs with the agent figures', async () => {
  await waitFor(() => fx.master.beats.length >= 3, 5000, 'three heartbeats');
  const hb = fx.master.beats[0];
  expect(hb.address).toBe(fx.agent.address);
  expect(hb.executors).toBe(2);
  expect(hb.memoryMb).toBe(64);
  expect(hb.busyExecutors).toBe(0);
  expect(hb.version).toMatch(/^\d+\.\d+\.\d+/);
  expect(Math.abs(hb.startedMs - Date.now())).toBeLessThan(10_000);
  expect(fx.master.beats.every((b) => b.startedMs === hb.startedMs)).toBe(true);
}, T);

test('WriteShard then ReadShard round-trips frames exactly', async () => {
  const c = client(fx.agent.address);
  const batches = [
    [['a', 1], ['b', 2n]],
    [[null, { x: [1, 2] }, new Uint8Array([1, 2, 3])]],
    [],
  ];
  const frames = batches.map((b) => encodeRows(b));
  const res = await writeShard(c, 'rt/s0', frames);
  expect(res).toEqual({ frames: 3, bytes: frames.reduce((n, f) => n + f.byteLength, 0) });
  const got = await readShard(c, 'rt/s0');
  expect(got.map((f) => Buffer.from(f))).toEqual(frames.map((f) => Buffer.from(f)));
  expect(got.map((f) => decodeRows(f))).toEqual(batches);
  const later: Uint8Array[] = [];
  for await (const f of readShardFrames(c, 'rt/s0', { fromFrame: 1 })) later.push(new Uint8Array(f));
  expect(later.map((f) => decodeRows(f))).toEqual(batches.slice(1));
  const st = await status();
  expect(st.address).toBe(fx.agent.address);
  expect(st.executors).toBe(2);
  expect(st.shards).toBeGreaterThanOrEqual(1);
  expect(st.shardMemoryBytes).toBeGreaterThan(0);
}, T);

test('a reader attached before the writer gets every frame (tail)', async () => {
  const c = client(fx.agent.address);
  const reading = readShard(c, 'tail/s0');
  await new Promise((r) => setTimeout(r, 100));
  const frames = Array.from({ length: 20 }, (_, i) => encodeRows([[i, `row ${i}`]]));
  const w = openShardWriter(c, 'tail/s0');
  for (const f of frames) {
    await w.write(f);
    await new Promise((r) => setTimeout(r, 5));
  }
  await w.end();
  const got = await reading;
  expect(got.map((f) => decodeRows(f))).toEqual(frames.map((f) => decodeRows(f)));
}, T);

test('a writer that aborts (empty frame, then cancel) fails the shard; readers get the message', async () => {
  const c = client(fx.agent.address);
  const reading = readShard(c, 'gone/s0');
  const call = c.WriteShard(callMetadata(undefined, { [SHARD_METADATA_KEY]: 'gone/s0' }), () => undefined);
  call.on('error', () => undefined);
  call.write(encodeRows([[1]]));
  await new Promise((r) => setTimeout(r, 100));
  // Node's HTTP/2 cancel sends END_STREAM before RST_STREAM, so a bare cancel can look like a
  // clean end: an aborting writer sends an empty frame first, and cancels once it is sent.
  call.write(new Uint8Array(0), () => call.cancel());
  await expect(reading).rejects.toMatchObject({ code: grpc.status.ABORTED, details: 'writer of shard gone/s0 went away' });
}, T);

test('a writer process that dies mid-stream fails the shard', async () => {
  const c = client(fx.agent.address);
  const reading = readShard(c, 'dead/s0');
  reading.catch(() => undefined); // it fails before we look at it
  const script = `
    const p = require(${JSON.stringify(require.resolve('@gleam/proto'))});
    const w = p.openShardWriter(p.createAgentClient(${JSON.stringify(fx.agent.address)}), 'dead/s0');
    (async () => {
      for (let i = 0; i < 5; i++) await w.write(Buffer.from([0x91, 0x91, i]));
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
    })();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  await expect(reading).rejects.toMatchObject({ code: grpc.status.ABORTED, details: 'writer of shard dead/s0 went away' });
}, T);

test('DeleteShards by prefix deletes the job and ends waiting readers with an error', async () => {
  const c = client(fx.agent.address);
  await writeShard(c, 'j7/a', [encodeRows([[1]])]);
  await writeShard(c, 'j7/b', [encodeRows([[2]])]);
  await writeShard(c, 'j8/a', [encodeRows([[3]])]);
  // Not written yet: the read waits for it (tail semantics) until the delete.
  const waiting = readShard(c, 'j7/later');
  waiting.catch(() => undefined); // it fails before we look at it
  await new Promise((r) => setTimeout(r, 100));
  const before = (await status()).shards;
  await unaryCall((md, cb) => c.DeleteShards({ jobId: 'j7', prefix: 'j7/' }, md, cb));
  expect((await status()).shards).toBe(before - 2);
  await expect(waiting).rejects.toMatchObject({ code: grpc.status.NOT_FOUND });
  expect((await readShard(c, 'j8/a')).map((f) => decodeRows(f))).toEqual([[[3]]]);
  await unaryCall((md, cb) => c.DeleteShards({ jobId: 'j8', shard: 'j8/a' }, md, cb));
  expect((await status()).shards).toBe(before - 3);
  await expect(unaryCall((md, cb) => c.DeleteShards({ jobId: 'j8' }, md, cb))).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
}, T);

test('DeleteShards deletes only shards of the job it names, or of a Flow cache', async () => {
  const own = await startAgent({ master: fx.master.address, port: 0, executors: 1, memoryMb: 16, heartbeatMs: 1000, logger: silent });
  const c = client(own.address);
  try {
    const all = ['k1/a', 'k1/b', 'k2/a', 'cache/f1/d1-s0', 'cache/f2/d1-s0'];
    for (const name of all) await writeShard(c, name, [encodeRows([[name]])]);
    const count = async () => (await unaryCall<AgentStatus__Output>((md, cb) => c.Status({}, md, cb))).shards;
    /** The shards still there, read back (each is closed, so a read ends at once). */
    const present = async (names: string[]) => {
      for (const name of names) expect((await readShard(c, name)).map((f) => decodeRows(f))).toEqual([[[name]]]);
    };
    const refused = [
      { prefix: 'k1/' }, // no job named
      { jobId: 'k2', prefix: 'k1/' }, // another job's prefix
      { jobId: 'k1', prefix: 'k' }, // wider than the job
      { jobId: 'k1', shard: 'k2/a' },
      { jobId: 'k1', shards: ['k1/a', 'k2/a'] }, // one name outside the job refuses the whole call
      { jobId: 'k1', shard: 'k1/' }, // the job's prefix is not a shard
      { jobId: 'k1/x', shard: 'k1/x/a' }, // a job id never holds "/"
      { jobId: 'k1', prefix: 'cache/' }, // every Flow's cache at once
      { prefix: 'cache/f' }, // part of a Flow's name
      { shard: 'cache/f1' },
      { shards: ['other'] },
    ];
    for (const req of refused) {
      await expect(unaryCall((md, cb) => c.DeleteShards(req, md, cb))).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: expect.stringMatching(/^DeleteShards: .*(outside the request's scope|not a job id)/) });
    }
    expect(await count()).toBe(5);
    await present(all);
    // In scope: the job's own shards and prefix, and a Flow's cache with or without a job id.
    await unaryCall((md, cb) => c.DeleteShards({ jobId: 'k1', shards: ['k1/a', 'cache/f1/d1-s0'] }, md, cb));
    await unaryCall((md, cb) => c.DeleteShards({ prefix: 'cache/f2/' }, md, cb));
    expect(await count()).toBe(2);
    await present(['k1/b', 'k2/a']);
    await unaryCall((md, cb) => c.DeleteShards({ jobId: 'k1', prefix: 'k1/' }, md, cb));
    expect(await count()).toBe(1);
    await present(['k2/a']);
    await unaryCall((md, cb) => c.DeleteShards({ jobId: 'k2', shard: 'k2/a' }, md, cb));
    expect(await count()).toBe(0);
  } finally {
    await own.stop();
  }
}, T);

test('WriteShard without a shard name, or to a closed shard, is refused', async () => {
  const c = client(fx.agent.address);
  await expect(
    new Promise((resolve, reject) => {
      const call = c.WriteShard(new grpc.Metadata(), (err, res) => (err ? reject(err) : resolve(res)));
      call.end();
    }),
  ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
  await writeShard(c, 'closed/s0', [encodeRows([[1]])]);
  await expect(writeShard(c, 'closed/s0', [encodeRows([[2]])])).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
}, T);

describe('with a secret', () => {
  const secret = 's3cret';
  let m2: RecordingMaster;
  let a2: AgentHandle;
  beforeAll(async () => {
    m2 = await startRecordingMaster({ secret });
    a2 = await startAgent({ master: m2.address, port: 0, executors: 1, memoryMb: 16, heartbeatMs: 100, secret, logger: silent });
  }, T);
  afterAll(async () => {
    await a2?.stop();
    await m2?.stop();
  }, T);

  test('the agent sends the secret on its heartbeats', async () => {
    await waitFor(() => m2.beats.length >= 1, 5000, 'a heartbeat');
    expect(m2.beats[0].address).toBe(a2.address);
  }, T);

  test('calls without it get UNAUTHENTICATED, calls with it succeed', async () => {
    const c = client(a2.address);
    await expect(unaryCall((md, cb) => c.Status({}, md, cb))).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(unaryCall((md, cb) => c.Status({}, md, cb), 'wrong')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(readShard(c, 'x/s0')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    await expect(writeShard(c, 'x/s0', [encodeRows([[1]])])).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    const st = await unaryCall<AgentStatus__Output>((md, cb) => c.Status({}, md, cb), secret);
    expect(st.address).toBe(a2.address);
    await writeShard(c, 'x/s0', [encodeRows([[1]])], secret);
    expect((await readShard(c, 'x/s0', { secret })).map((f) => decodeRows(f))).toEqual([[[1]]]);
  }, T);

  test('a non-loopback host without a secret is refused', async () => {
    await expect(startAgent({ master: m2.address, host: '0.0.0.0', port: 0, logger: silent })).rejects.toThrow(/requires a shared secret/);
  }, T);
});

test('the agent keeps running with the master down and registers once it is back', async () => {
  const m = await startRecordingMaster();
  const port = m.port;
  await m.stop();
  const a = await startAgent({ master: `127.0.0.1:${port}`, port: 0, executors: 1, memoryMb: 16, heartbeatMs: 100, logger: silent });
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const back = await startRecordingMaster({ port });
    try {
      await waitFor(() => back.beats.length >= 2, 8000, 'heartbeats after the master came back');
      expect(back.beats[0].address).toBe(a.address);
    } finally {
      await back.stop();
    }
  } finally {
    await a.stop();
  }
}, T);
