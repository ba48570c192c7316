// stop(): running tasks end, threads go, shards and spill files are deleted, the port is free.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeRows, encodeValue, type TaskGroupSpec } from '@gleam/executor';
import { startAgent } from '../src';
import { client, closeClients, execute, silent, startRecordingMaster, writeShard, type RecordingMaster } from './helpers';

const T = 30_000;
let master: RecordingMaster;
let tmp: string;

beforeAll(async () => {
  master = await startRecordingMaster();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-stop-test-'));
}, T);

afterAll(async () => {
  closeClients();
  await master?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}, T);

test('stop() ends running tasks and removes every shard and spill file', async () => {
  const dir = path.join(tmp, 'work');
  const agent = await startAgent({ master: master.address, port: 0, executors: 1, memoryMb: 1, dir, logger: silent });
  const c = client(agent.address);
  await writeShard(c, 'j1/big', Array.from({ length: 8 }, (_, i) => encodeRows([[i, 'y'.repeat(300 * 1024)]])));
  expect(fs.readdirSync(dir).filter((f) => f.endsWith('.spill'))).toHaveLength(1);
  const spec: TaskGroupSpec = { id: 't', name: 'Pipe.0', stepGroup: 1, partition: 0, input: { kind: 'shards', shards: ['j1/big'] }, instructions: [{ op: 'pipe', step: 'pipe#1', command: 'sleep 30' }], output: { kind: 'shard', shard: 'j1/out' } };
  let started = false;
  const run = execute(c, { jobId: 'j1', task: encodeValue(spec), shardLocations: {} }, { onEvent: (e) => (started ||= e.event === 'started') });
  run.catch(() => undefined);
  await new Promise<void>((resolve) => {
    const t = setInterval(() => started && (clearInterval(t), resolve()), 20);
  });
  const t0 = Date.now();
  await agent.stop();
  await expect(run).rejects.toBeDefined();
  expect(Date.now() - t0).toBeLessThan(10_000);
  // The store made the dir, so it is gone with its files.
  expect(fs.existsSync(dir)).toBe(false);
  // The port is free again: a new agent can take it.
  const port = Number(agent.address.split(':')[1]);
  const again = await startAgent({ master: master.address, port, executors: 1, memoryMb: 1, dir, logger: silent });
  await again.stop();
  await agent.stop(); // idempotent
}, T);

test('a dir given by the user is kept, only our files go; stale spills of dead processes are removed', async () => {
  const dir = path.join(tmp, 'kept');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'mine.txt'), 'not the agent\'s');
  // A spill file of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max).
  fs.writeFileSync(path.join(dir, 'j0_s0.4194305-0a1b2c3d.0.spill'), 'stale');
  const agent = await startAgent({ master: master.address, port: 0, executors: 1, memoryMb: 1, dir, logger: silent });
  expect(fs.existsSync(path.join(dir, 'j0_s0.4194305-0a1b2c3d.0.spill'))).toBe(false);
  await writeShard(client(agent.address), 'j2/big', Array.from({ length: 8 }, (_, i) => encodeRows([[i, 'z'.repeat(300 * 1024)]])));
  expect(fs.readdirSync(dir).some((f) => f.endsWith('.spill'))).toBe(true);
  await agent.stop();
  expect(fs.readdirSync(dir)).toEqual(['mine.txt']);
}, T);
