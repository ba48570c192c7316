// `gleam agent` as a child process: registers, spills, stops on SIGTERM with its data removed.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeRows } from '@gleam/executor';
import { client, closeClients, freePort, readShard, startRecordingMaster, waitFor, writeShard, type RecordingMaster } from './helpers';

const T = 40_000;
const GLEAM = path.join(__dirname, '..', '..', 'cli', 'bin', 'gleam.js');

let master: RecordingMaster;
let child: ChildProcess | undefined;

beforeAll(async () => {
  master = await startRecordingMaster();
}, T);

afterAll(async () => {
  closeClients();
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await master?.stop();
}, T);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

test('gleam agent registers, spills to its dir, and SIGTERM stops it (exit 0, dir removed)', async () => {
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  const dir = path.join(os.tmpdir(), `gleam-agent-${port}`);
  const t0 = Date.now();
  const proc = spawn(process.execPath, [GLEAM, 'agent', '--master', master.address, '--port', String(port), '--executors', '2', '--memory', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GLEAM_SECRET: '' },
  });
  child = proc;
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));

  await waitFor(() => master.beats.some((b) => b.address === address), 15_000, 'the agent to register');
  const hb = master.beats.find((b) => b.address === address);
  expect(hb).toMatchObject({ executors: 2, memoryMb: 1, busyExecutors: 0 });
  const started = stderr.split('\n').find((l) => l.includes('agent started'));
  expect(started && JSON.parse(started)).toMatchObject({ address, executors: 2, memoryMb: 1, dir });

  // Idle footprint, 5 s after start (printed for the record).
  await new Promise((r) => setTimeout(r, Math.max(0, 5000 - (Date.now() - t0))));
  const idle = rssMb(proc.pid as number);
  console.log(`idle gleam agent (2 executors, threads started on first task): RSS ${idle.toFixed(1)} MB`);
  expect(idle).toBeLessThan(80);

  // 3 MB into a 1 MB budget: the shard spills to the agent's dir.
  const c = client(address);
  const frames = Array.from({ length: 12 }, (_, i) => encodeRows([[i, 'x'.repeat(256 * 1024)]]));
  await writeShard(c, 'cli/s0', frames);
  expect(fs.readdirSync(dir).some((f) => f.endsWith('.spill'))).toBe(true);
  expect((await readShard(c, 'cli/s0')).length).toBe(12);

  proc.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(fs.existsSync(dir)).toBe(false);
  expect(stderr).toContain('agent stopped');
}, T);

test('gleam agent refuses a non-loopback host without a secret', async () => {
  const proc = spawn(process.execPath, [GLEAM, 'agent', '--master', master.address, '--host', '0.0.0.0', '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GLEAM_SECRET: '' },
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/requires a shared secret/);
}, T);
