// TLS end to end: a master and 2 agents (separate processes) serving TLS with certificates made
// by openssl, a secret from --secret-file; drivers and CLI clients that trust the CA run real
// jobs (agents read each other's shards over TLS); clients that do not are refused clearly; the
// status page is https.
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { cookieOf, httpRequest, login } from '../helpers/httpRequest';
import { killAllWith, processesWith, uniqueMarker, waitFor } from '../helpers/processes';
import { gleam, repoRoot, run } from '../helpers/runNode';
import { makeTestCerts, type TestCerts } from '../helpers/tlsCerts';

jest.setTimeout(120000);

const SECRET = 'tls-cluster-secret';
let certs: TestCerts;
let cluster: TestCluster;
let secretFile: string;
/** What a client of this cluster needs: the CA and the secret (from the environment). */
let clientEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  certs = makeTestCerts();
  secretFile = path.join(certs.dir, 'secret');
  fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  clientEnv = { GLEAM_TLS_CA: certs.ca, GLEAM_SECRET: SECRET };
  cluster = await startCluster({
    agents: 2,
    executors: 2,
    // The servers' TLS from the environment, their secret from a file; the CLI calls that wait
    // for them trust the CA.
    env: { GLEAM_TLS_CERT: certs.cert, GLEAM_TLS_KEY: certs.key, ...clientEnv },
    serverArgs: ['--secret-file', secretFile],
  });
});

afterAll(async () => {
  await cluster?.stop();
  certs?.remove();
});

test('a driver that trusts the CA runs a real job on the TLS cluster (a shuffle between the agents)', async () => {
  const local = await gleam(['run', 'examples/wordcount.ts']);
  const remote = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master], { env: clientEnv });
  expect(remote.stderr).toBe('');
  expect(remote.code).toBe(0);
  expect(remote.stdout).toBe(local.stdout);
  expect(cluster.logs()).toContain('"tls":true');
  const status = await gleam(['status', '--master', cluster.master, '--json'], { env: clientEnv });
  expect(status.code).toBe(0);
  const st = JSON.parse(status.stdout) as { agents: { alive: boolean }[]; jobs: { report: { name: string; state: string } }[] };
  expect(st.agents.filter((a) => a.alive)).toHaveLength(2);
  expect(st.jobs.some((j) => j.report.name === 'word count' && j.report.state === 'succeeded')).toBe(true);
});

test('the run option tls: { ca } (a file path) works without GLEAM_TLS_CA; flow.close() deletes the cached shards over TLS', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-tls-driver-'));
  try {
    const script = path.join(dir, 'driver.js');
    fs.writeFileSync(
      script,
      `const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
      (async () => {
        const flow = new Flow('tls cached');
        const ds = flow.ints(Array.from({ length: 100 }, (_, i) => i), 4).map((n) => [n % 5, n]).cache();
        const opts = { master: ${JSON.stringify(cluster.master)}, tls: { ca: ${JSON.stringify(certs.ca)} } };
        const sums = await ds.reduceBy((a, b) => a + b).collect(opts);
        const count = await ds.count(opts);
        await flow.close();
        console.log(JSON.stringify({ sums: sums.sort((a, b) => a[0] - b[0]), count }));
      })().catch((e) => { console.error('failed: ' + e.message); process.exitCode = 1; });`,
    );
    const r = await run(process.execPath, [script], { env: { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' }, timeoutMs: 60000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sums: [[0, 950], [1, 970], [2, 990], [3, 1010], [4, 1030]], count: 100 });
    // Every shard is gone: the job's (DeleteShards with its job id) and the cache's (flow.close()).
    await waitFor(async () => {
      const s = await gleam(['status', '--master', cluster.master, '--json'], { env: clientEnv });
      return s.code === 0 && (JSON.parse(s.stdout) as { agents: { shards: number }[] }).agents.every((a) => a.shards === 0);
    }, 'the agents to hold no shard', 15000, 300);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('gleam cancel on the TLS cluster: the master stops the job on the agents over TLS', async () => {
  const marker = uniqueMarker('tls-cancel');
  const { spawn } = await import('node:child_process');
  const script = `
    const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
    new Flow('tls cancel').ints([1, 2, 3, 4], 4).pipe(${JSON.stringify(`sleep 60; : ${marker}`)}).collect({ master: ${JSON.stringify(cluster.master)} })
      .then(() => console.log('finished'), (e) => { console.log('rejected: ' + e.name + ': ' + e.message); process.exitCode = 3; });`;
  const driver = spawn(process.execPath, ['-e', script], { cwd: repoRoot, env: { ...process.env, ...clientEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  driver.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  driver.stderr!.setEncoding('utf8').on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => driver.once('exit', (code) => r(code)));
  try {
    await waitFor(() => processesWith(marker).length >= 4, 'the pipe commands to start on the agents', 20000);
    const jobs = await gleam(['jobs', '--master', cluster.master, '--json'], { env: clientEnv });
    const job = (JSON.parse(jobs.stdout) as { jobId: string; name: string; state: string }[]).find((j) => j.name === 'tls cancel');
    expect(job?.state).toBe('running');
    const r = await gleam(['cancel', job!.jobId, '--master', cluster.master, '--reason', 'over TLS'], { env: clientEnv });
    expect(r.stdout).toBe(`job ${job!.jobId} cancelled\n`);
    expect(await exited).toBe(3);
    expect(out).toContain('rejected: JobCancelledError: job cancelled: over TLS');
    await waitFor(() => processesWith(marker).length === 0, 'the pipe children to be gone', 10000);
    // The master's CancelJob calls reached both agents (over TLS: they serve nothing else).
    await waitFor(() => (cluster.logs().match(/"msg":"job cancelled on agent"/g) ?? []).length >= 2, 'the master to cancel the job on both agents', 10000);
    expect(cluster.logs()).not.toContain('cancelling the job on an agent failed');
  } finally {
    driver.kill('SIGKILL');
    killAllWith(marker);
  }
});

test('a plaintext client is refused with a message that says to set GLEAM_TLS_CA', async () => {
  const status = await gleam(['status', '--master', cluster.master], { env: { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' } });
  expect(status.code).toBe(1);
  expect(status.stderr).toMatch(new RegExp(`^gleam: cannot reach the master at ${cluster.master.replace(/\./g, '\\.')}: .*this client spoke plaintext: set GLEAM_TLS_CA`));
  expect(status.stderr.trim().split('\n')).toHaveLength(1);
  const driver = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master], { env: { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' } });
  expect(driver.code).toBe(1);
  expect(driver.stderr).toContain(`cannot reach the master at ${cluster.master}`);
  expect(driver.stderr).toContain('set GLEAM_TLS_CA');
});

test('a client trusting another CA is refused: the certificate is not trusted', async () => {
  const r = await gleam(['jobs', '--master', cluster.master, '--tls-ca', certs.otherCa], { env: { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' } });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^gleam: cannot reach the master at .*TLS certificate is not trusted/);
});

test('a TLS client of a plaintext master is told the server does not speak TLS', async () => {
  const plain = await startCluster({ agents: 0, env: { GLEAM_SECRET: '', GLEAM_TLS_CA: '' } });
  try {
    const r = await gleam(['status', '--master', plain.master], { env: { GLEAM_TLS_CA: certs.ca, GLEAM_SECRET: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gleam: cannot reach the master at .*the server does not speak TLS/);
  } finally {
    await plain.stop();
  }
});

test('the status page is https with the server certificate, behind the login', async () => {
  const port = /status page https:\/\/127\.0\.0\.1:(\d+)\//.exec(cluster.logs())?.[1];
  expect(port).toBeDefined();
  const base = `https://127.0.0.1:${port}`;
  const ca = fs.readFileSync(certs.ca);
  const anonymous = await httpRequest(`${base}/`, { ca });
  expect(anonymous.status).toBe(401);
  expect(anonymous.body).toContain('href="/login"');
  expect(anonymous.certSerial).toBe(new X509Certificate(fs.readFileSync(certs.cert)).serialNumber);
  const loggedIn = await login(base, SECRET, ca);
  expect(loggedIn.status).toBe(303);
  expect(loggedIn.headers.location).toBe('/');
  // Served over TLS, the session cookie is Secure too.
  expect(loggedIn.headers['set-cookie']?.[0]).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
  const page = await httpRequest(`${base}/`, { ca, headers: { cookie: cookieOf(loggedIn) } });
  expect(page.status).toBe(200);
  expect(page.body).toContain('gleam master');
  expect(page.body).not.toContain(SECRET);
  // The same port does not answer plaintext HTTP.
  await expect(httpRequest(`http://127.0.0.1:${port}/`, { timeoutMs: 5000 }).then((a) => a.status)).rejects.toThrow();
  // Nor does a client that does not trust the CA.
  await expect(httpRequest(`${base}/`, { ca: fs.readFileSync(certs.otherCa) })).rejects.toThrow(/self[- ]signed|unable to verify|certificate/);
});

test('agents talk to the master with TLS: an agent without the CA cannot register, and says why', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-tls-agent-'));
  const { spawn } = await import('node:child_process');
  // Serves TLS (cert and key) but trusts only another CA: its heartbeats to the master fail.
  const proc = spawn(
    process.execPath,
    [path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js'), 'agent', '--master', cluster.master, '--port', '0', '--dir', dir, '--executors', '1', '--tls-cert', certs.cert, '--tls-key', certs.key, '--tls-ca', certs.otherCa],
    { env: { ...process.env, GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '', GLEAM_TLS_CERT: '', GLEAM_TLS_KEY: '' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise((r) => proc.once('exit', r));
  try {
    await waitFor(() => stderr.includes('master unreachable'), 'the agent to report the master unreachable', 15000);
    expect(stderr).toMatch(/TLS certificate is not trusted/);
  } finally {
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
