// Distributed mode end to end: a master and 2 agents as separate OS processes on 127.0.0.1;
// every flow gives exactly the output it gives in local mode; failures are clear and bounded.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startCluster, type TestCluster } from '../helpers/cluster';
import { gleam, repoRoot, run } from '../helpers/runNode';

jest.setTimeout(120000);

const records = path.join(repoRoot, 'examples', 'data', 'records.txt');
const sample = path.join(repoRoot, 'examples', 'data', 'sample.txt');

describe('a cluster of a master and 2 agents', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ agents: 2, executors: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test.each([
    ['examples/wordcount.ts', []],
    ['examples/pipe.ts', []],
    ['examples/sort.ts', [records, '4']],
    ['examples/topk.ts', [sample, '7']],
    ['test/fixtures/operators-tour.ts', []],
  ])('%s gives identical output locally and on the cluster', async (script, args) => {
    const local = await gleam(['run', script, ...args, '--executors', '2']);
    expect(local.stderr).toBe('');
    expect(local.code).toBe(0);
    const remote = await gleam(['run', script, ...args, '--master', cluster.master]);
    expect(remote.stderr).toBe('');
    expect(remote.code).toBe(0);
    expect(remote.stdout).toBe(local.stdout);
    expect(remote.stdout.length).toBeGreaterThan(20);
  });

  test('GLEAM_MASTER and run({ master }) select the cluster too', async () => {
    const viaEnv = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'), 'examples/wordcount.ts'], { env: { GLEAM_MASTER: cluster.master } });
    const local = await gleam(['run', 'examples/wordcount.ts']);
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.stdout).toBe(local.stdout);
    const dsl = JSON.stringify(require.resolve('@gleam/flow-dsl'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-dist-'));
    try {
      fs.writeFileSync(path.join(dir, 'opt.js'), `const { Flow } = require(${dsl});
        new Flow('opt').ints([3, 1, 2]).map((x) => x * 10).sort().collect({ master: ${JSON.stringify(cluster.master)} }).then((r) => console.log(JSON.stringify(r)));`);
      const r = await run(process.execPath, [path.join(dir, 'opt.js')]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('[[10],[20],[30]]\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('cache() on the cluster: the cached dataset is computed once for two actions', async () => {
    const { Flow } = await import('@gleam/flow-dsl');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-dist-cache-'));
    const file = path.join(dir, 'calls');
    const flow = new Flow('cached on cluster');
    const data = flow
      .ints(Array.from({ length: 40 }, (_, i) => i), 4)
      .map('(x) => { require("fs").appendFileSync(params.file, "x"); return [x % 2, x]; }', { params: { file } })
      .cache();
    try {
      expect(await data.count({ master: cluster.master })).toBe(40);
      const sums = await data.reduceBy('(a, b) => a + b').collect({ master: cluster.master });
      expect(sums.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([
        [0, 380],
        [1, 400],
      ]);
      expect(fs.readFileSync(file, 'utf8').length).toBe(40);
    } finally {
      await flow.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('gleam status lists both agents and the finished jobs', async () => {
    const r = await gleam(['status', '--master', cluster.master, '--json']);
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout) as { agents: { address: string; alive: boolean; executors: number }[]; jobs: { report: { state: string; name: string } }[] };
    expect(st.agents.map((a) => a.address).sort()).toEqual(cluster.agents.map((a) => a.address).sort());
    expect(st.agents.every((a) => a.alive && a.executors === 2)).toBe(true);
    expect(st.jobs.some((j) => j.report.name === 'word count' && j.report.state === 'succeeded')).toBe(true);
  });

  test('a UDF error on a remote executor reaches the driver with its message, row and stack', async () => {
    const dsl = JSON.stringify(require.resolve('@gleam/flow-dsl'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-dist-'));
    try {
      fs.writeFileSync(path.join(dir, 'udf.js'), `const { Flow } = require(${dsl});
        new Flow('udf error').ints([1, 2, 3, 4, 5, 6]).map((x) => { if (x === 5) throw new TypeError('five is odd'); return [x % 2, x]; })
          .reduceBy((a, b) => a + b).printf('%d %d\\n').run({ master: ${JSON.stringify(cluster.master)} });`);
      const r = await run(process.execPath, [path.join(dir, 'udf.js')]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('gleam: step "map#2": the UDF threw TypeError: five is odd');
      expect(r.stderr).toContain('row: [5]');
      expect(r.stderr).toMatch(/UDF stack:\n\s+at /);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('slots', () => {
  test('an 8-partition flow runs on 1 agent with 1 executor', async () => {
    const cluster = await startCluster({ agents: 1, executors: 1 });
    try {
      const local = await gleam(['run', 'examples/wordcount.ts', '--partitions', '8']);
      const remote = await gleam(['run', 'examples/wordcount.ts', '--partitions', '8', '--master', cluster.master]);
      expect(remote.stderr).toBe('');
      expect(remote.stdout).toBe(local.stdout);
      const plan = await gleam(['plan', 'examples/wordcount.ts', '--partitions', '8']);
      expect(plan.stdout).toContain('step group: 1 partition: 8');
    } finally {
      await cluster.stop();
    }
  });
});

describe('failures are clear and bounded', () => {
  test('master unreachable', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await gleam(['run', 'examples/wordcount.ts', '--master', `127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^gleam: cannot reach the master at 127\\.0\\.0\\.1:${port}`));
    expect(Date.now() - started).toBeLessThan(15000);
  });

  test('an agent killed in the middle of a job: the job finishes on the other agent with the exact output', async () => {
    const cluster = await startCluster({ agents: 2, executors: 1 });
    try {
      const dsl = JSON.stringify(require.resolve('@gleam/flow-dsl'));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-dist-'));
      fs.writeFileSync(path.join(dir, 'slow.js'), `const { Flow } = require(${dsl});
        new Flow('slow').ints(Array.from({ length: 4 }, (_, i) => i), 4).pipe('sleep 2; cat').printf('%s\\n').run({ master: ${JSON.stringify(cluster.master)} });`);
      const started = Date.now();
      const job = run(process.execPath, [path.join(dir, 'slow.js')], { timeoutMs: 60000 });
      await new Promise((r) => setTimeout(r, 1000));
      cluster.killAgent(1);
      const r = await job;
      fs.rmSync(dir, { recursive: true, force: true });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('0\n1\n2\n3\n');
      // Clean, 2 slots take 4 s; on the one left, the lost tasks run again: bounded, not hung.
      expect(Date.now() - started).toBeLessThan(20000);
    } finally {
      await cluster.stop();
    }
  });

  test('an unreachable agent (registered with an address nobody listens on)', async () => {
    const cluster = await startCluster({ agents: 0 });
    const ghostPort = await freePort();
    const { createMasterClient } = await import('@gleam/proto');
    const client = createMasterClient(cluster.master);
    const beat = client.Heartbeat();
    beat.on('data', () => undefined);
    beat.on('error', () => undefined);
    beat.write({ address: `127.0.0.1:${ghostPort}`, executors: 2, memoryMb: 100, version: 'ghost', startedMs: Date.now() });
    try {
      await new Promise((r) => setTimeout(r, 500));
      const started = Date.now();
      const r = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`agent 127.0.0.1:${ghostPort} is unreachable`);
      expect(r.stderr).toMatch(/^gleam: job \S+: no agent is left to run it — agent 127\.0\.0\.1:\d+ is unreachable while running task group /);
      expect(Date.now() - started).toBeLessThan(20000);
    } finally {
      beat.cancel();
      client.close();
      await cluster.stop();
    }
  });
});

describe('closed by default', () => {
  test('a cluster with a secret refuses a driver without it and serves one with it', async () => {
    const cluster = await startCluster({ agents: 1, executors: 2, secret: 's3cret-for-tests' });
    try {
      const without = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master], { env: { GLEAM_SECRET: '' } });
      expect(without.code).toBe(1);
      expect(without.stderr).toContain('gleam: cannot reach the master');
      expect(without.stderr).toContain('secret');
      const wrong = await gleam(['status', '--master', cluster.master, '--secret', 'nope'], { env: { GLEAM_SECRET: '' } });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('secret');
      const withIt = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master], { env: { GLEAM_SECRET: 's3cret-for-tests' } });
      expect(withIt.stderr).toBe('');
      expect(withIt.stdout).toBe((await gleam(['run', 'examples/wordcount.ts'])).stdout);
    } finally {
      await cluster.stop();
    }
  });

  test('binding a server to a non-loopback address requires a secret', async () => {
    const master = await gleam(['master', '--host', '0.0.0.0', '--port', String(await freePort())], { env: { GLEAM_SECRET: '' }, timeoutMs: 10000 });
    expect(master.code).toBe(1);
    expect(master.stderr).toContain('requires a shared secret');
    const agent = await gleam(['agent', '--master', '127.0.0.1:1', '--host', '0.0.0.0', '--port', String(await freePort())], { env: { GLEAM_SECRET: '' }, timeoutMs: 10000 });
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('requires a shared secret');
  });
});
