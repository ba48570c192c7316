// CancelJob on a real agent: running and queued tasks of the job end failed, their pipe
// children die, the job's shards are deleted, and later calls of the job are refused.
import * as fs from 'node:fs';
import { encodeRows, encodeValue, type InstructionSpec, type TaskGroupSpec } from '@gleam/executor';
import { grpc, JOB_CANCELLED_ERROR_NAME, openShardWriter, type AgentCancelJobResponse__Output, type AgentStatus__Output, type TaskEvent__Output } from '@gleam/proto';
import { client, execute, readShard, unaryCall, useAgent, waitFor, writeShard } from './helpers';

const T = 30_000;

const fx = useAgent({ executors: 2, memoryMb: 64 }, T);

function spec(job: string, name: string, inputs: string[], instructions: InstructionSpec[], out: string): TaskGroupSpec {
  return { id: `${job}-${name}`, name, stepGroup: 2, partition: 0, input: { kind: 'shards', shards: inputs }, instructions, output: { kind: 'shard', shard: out } };
}

interface Proc {
  pid: number;
  pgrp: number;
  state: string;
  cmdline: string;
}

/** Every process of this machine (as far as /proc shows), with its process group and state. */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its ')'.
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.push({ pid: Number(name), state: rest[0], pgrp: Number(rest[2]), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live (not zombie) processes in the groups of the shells whose command line holds `marker`. */
function pipeProcesses(marker: string): Proc[] {
  const all = processes();
  const groups = new Set(all.filter((p) => p.cmdline.includes(marker)).map((p) => p.pgrp));
  return all.filter((p) => groups.has(p.pgrp) && p.state !== 'Z');
}

const status = (c: ReturnType<typeof client>) => unaryCall<AgentStatus__Output>((md, cb) => c.Status({}, md, cb));
const cancelJob = (c: ReturnType<typeof client>, jobId: string, reason: string) =>
  unaryCall<AgentCancelJobResponse__Output>((md, cb) => c.CancelJob({ jobId, reason }, md, cb));

test('CancelJob ends the running and queued tasks of a job, kills their pipes, deletes its shards and refuses its later calls', async () => {
  const c = client(fx.agent.address);
  const job = `jc${process.pid}`;
  const marker = `marker-${job}-${Date.now()}`;
  await writeShard(c, `${job}/d1-s0`, [encodeRows([['a'], ['b']])]);
  await writeShard(c, `${job}/d1-s1`, [encodeRows([['c']])]);
  await writeShard(c, 'other-job/d1-s0', [encodeRows([[1]])]);
  const sleepy: InstructionSpec = { op: 'pipe', step: 'pipe#1', command: `sleep 30; : ${marker}` };

  // Two executors: two tasks run their pipes, the third waits in the queue.
  const started: number[] = [];
  const runs = [0, 1, 2].map((i) =>
    execute(c, { jobId: job, task: encodeValue(spec(job, `Pipe.${i}`, [`${job}/d1-s${i % 2}`], [sleepy], `${job}/d2-s${i}`)), shardLocations: {} }, {
      onEvent: (e) => {
        if (e.event === 'started') started.push(i);
      },
    }),
  );
  await waitFor(() => started.length === 2, 10_000, 'two tasks to start');
  await waitFor(() => pipeProcesses(marker).length >= 4, 10_000, 'two shells and their sleeps');
  const before = await status(c);
  expect(before.busy).toBe(2);
  const jobShards = before.shards - 1;
  expect(jobShards).toBeGreaterThanOrEqual(2);

  const t0 = Date.now();
  const res = await cancelJob(c, job, 'cancelled: by the test');
  expect(res).toEqual({ tasksCancelled: 3, shardsDeleted: jobShards });

  // Every ExecuteTask stream of the job ends with a failed event saying why, within 5 s.
  const events = await Promise.all(runs);
  expect(Date.now() - t0).toBeLessThan(5000);
  for (const ev of events) {
    const last = ev[ev.length - 1] as TaskEvent__Output;
    expect(last.event).toBe('failed');
    expect(last.failed).toMatchObject({ name: JOB_CANCELLED_ERROR_NAME, message: `job ${job} was cancelled (cancelled: by the test)` });
  }
  expect(events.map((ev) => ev.map((e) => e.event)).sort()).toEqual([['failed'], ['started', 'failed'], ['started', 'failed']]);

  // The shells and their sleeps are gone (SIGTERM to their process group).
  await waitFor(() => pipeProcesses(marker).length === 0, 5000, 'the pipe processes to end');

  // The job's shards are gone, the other job's shard stays, and the executors are free.
  const after = await status(c);
  expect(after.shards).toBe(1);
  expect(after.busy).toBe(0);
  expect((await readShard(c, 'other-job/d1-s0')).length).toBe(1);

  // Later calls of the job are refused, and recreate nothing.
  const refused = { code: grpc.status.FAILED_PRECONDITION, details: `job ${job} was cancelled (cancelled: by the test)` };
  await expect(execute(c, { jobId: job, task: encodeValue(spec(job, 'Late.0', [`${job}/d1-s0`], [sleepy], `${job}/d3-s0`)), shardLocations: {} })).rejects.toMatchObject(refused);
  await expect(writeShard(c, `${job}/d1-s0`, [encodeRows([['late']])])).rejects.toMatchObject(refused);
  await expect(readShard(c, `${job}/d1-s0`)).rejects.toMatchObject(refused);
  expect((await status(c)).shards).toBe(1);

  // Other jobs run as before.
  const ok = await execute(c, { jobId: 'other-job', task: encodeValue(spec('other-job', 'Map.0', ['other-job/d1-s0'], [{ op: 'map', step: 'map#1', udf: { source: '(x) => [x + 1]' } }], 'other-job/d2-s0')), shardLocations: {} });
  expect(ok.map((e) => e.event)).toEqual(['started', 'done']);
}, T);

test('a WriteShard in progress when its job is cancelled fails and leaves no shard', async () => {
  const c = client(fx.agent.address);
  const job = `jw${process.pid}`;
  const baseline = (await status(c)).shards;
  const w = openShardWriter(c, `${job}/src-s0`);
  await w.write(encodeRows([['x']]));
  // The frame has reached the store once the shard shows up.
  for (const until = Date.now() + 5000; (await status(c)).shards === baseline; ) {
    if (Date.now() > until) throw new Error('the frame never reached the agent');
    await new Promise((r) => setTimeout(r, 20));
  }
  expect(await cancelJob(c, job, 'driver lost: test')).toEqual({ tasksCancelled: 0, shardsDeleted: 1 });
  await expect(w.end()).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION, details: `job ${job} was cancelled (driver lost: test)` });
  expect((await status(c)).shards).toBe(baseline);
  await expect(readShard(c, `${job}/src-s0`)).rejects.toMatchObject({ code: grpc.status.FAILED_PRECONDITION });
}, T);

test('CancelJob needs a job id', async () => {
  const c = client(fx.agent.address);
  await expect(cancelJob(c, '', 'x')).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
}, T);
