// `gleam master` and `gleam status` as a person runs them (needs the built CLI: tsc -b).
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { callMetadata, unary, type MasterClient } from '@gleam/proto';
import { startMaster } from '../src/startMaster';
import { freePort } from '../../../test/helpers/cluster';
import { fakeAgent, masterClient, quiet, waitFor, type FakeAgent } from './helpers';

jest.setTimeout(30000);

const GLEAM = path.resolve(__dirname, '../../cli/bin/gleam.js');


function gleam(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [GLEAM, ...args], { timeout: 10000, env: { ...process.env, GLEAM_SECRET: '', GLEAM_MASTER: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('gleam master + gleam status', () => {
  let child: ChildProcess | undefined;
  let client: MasterClient | undefined;
  let agent: FakeAgent | undefined;
  let stderr = '';

  afterAll(() => {
    agent?.cancel();
    client?.close();
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('status shows the agents, slots and jobs; SIGTERM stops the master with 0', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [GLEAM, 'master', '--port', String(port), '--http-port', '0'], { env: { ...process.env, GLEAM_SECRET: '' }, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const listening = await waitFor(() => stderr.split('\n').find((l) => l.includes('master listening')), 10000, 'the master to listen');
    const line = JSON.parse(listening);
    expect(line.address).toBe(`127.0.0.1:${port}`);
    expect(line.http).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const address = `127.0.0.1:${port}`;
    client = masterClient(address);
    agent = fakeAgent(client, '127.0.0.1:7001', { executors: 4, memoryMb: 2048, shards: 3, shardMemoryBytes: 2048, busyExecutors: 1 });
    await agent.beat();
    const grants = await unary(client.AllocateSlots.bind(client), { jobId: 'job-1', jobName: 'wordcount', slots: 3, driver: 'test' }, callMetadata(), 3000);
    expect(grants.grants).toEqual([{ agent: '127.0.0.1:7001', slots: 3 }]);
    await unary(client.ReportJob.bind(client), { jobId: 'job-1', name: 'wordcount', state: 'running', tasksTotal: 10, tasksDone: 3 }, callMetadata(), 3000);
    await unary(client.ReportJob.bind(client), { jobId: 'job-0', name: 'sort', state: 'failed', tasksTotal: 2, tasksDone: 1, error: 'agent lost: 127.0.0.1:7009\nmore' }, callMetadata(), 3000);

    const st = await gleam(['status', '--master', address]);
    expect(st.stderr).toBe('');
    expect(st.code).toBe(0);
    const lines = st.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^master 127\\.0\\.0\\.1:${port}, up \\d+s$`));
    expect(lines.slice(1).join('\n')).toBe(
      [
        '',
        'AGENT           ALIVE  EXECUTORS  ALLOCATED/BUSY  MEMORY   SHARDS',
        '127.0.0.1:7001  yes    4          3/1             2048 MB  3 (2.0 KiB in memory, 0 B spilled)',
        '',
        'slots: 4 total, 3 allocated, 1 busy, 1 free (1 agent alive, 0 dead)',
        '',
        'JOB    NAME       STATE    TASKS  SLOTS',
        'job-1  wordcount  running  3/10   3',
        'job-0  sort       failed   1/2    0',
        'job-0: agent lost: 127.0.0.1:7009',
        '',
      ].join('\n'),
    );

    const js = await gleam(['status', '--master', address, '--json']);
    expect(js.code).toBe(0);
    const raw = JSON.parse(js.stdout);
    expect(raw.agents[0]).toMatchObject({ address: '127.0.0.1:7001', executors: 4, allocated: 3, alive: true });
    expect(raw.jobs.map((j: { report: { jobId: string } }) => j.report.jobId)).toEqual(['job-1', 'job-0']);

    expect(stderr).toContain('agent registered');
    expect(stderr).toContain('slots allocated');
    expect(stderr).toContain('job state: failed');

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const t0 = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(stderr).toContain('master stopped');
  });
});

test('gleam status against nothing exits 1 with a clear message', async () => {
  const r = await gleam(['status', '--master', '127.0.0.1:1']);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^gleam: cannot reach the master at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

test('gleam status with a missing or wrong secret exits 1; with the right one it works', async () => {
  const master = await startMaster({ port: 0, httpPort: -1, secret: 'right', logger: quiet });
  try {
    const none = await gleam(['status', '--master', master.address]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(new RegExp(`^gleam: the master at ${master.address.replace(/\./g, '\\.')} refused the secret: missing or wrong cluster secret`));
    const wrong = await gleam(['status', '--master', master.address, '--secret', 'nope']);
    expect(wrong.code).toBe(1);
    const right = await gleam(['status', '--master', master.address], { GLEAM_SECRET: 'right' });
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('no agents');
    expect(right.stdout).toContain('no jobs');
  } finally {
    await master.stop();
  }
});

test('gleam master refuses a non-loopback host without a secret', async () => {
  const r = await gleam(['master', '--host', '0.0.0.0', '--port', '0']);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^gleam: master: binding to 0\.0\.0\.0 \(not loopback\) requires a shared secret/);
});
