// docker/entrypoint.sh and docker/healthcheck.js, tested without Docker: the entrypoint starts a
// real master and a real agent, and the image's HEALTHCHECK sees each of them up, then down.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../helpers/cluster';
import { gleam, repoRoot, run } from '../helpers/runNode';

const entrypoint = path.join(repoRoot, 'docker', 'entrypoint.sh');
const healthcheck = path.join(repoRoot, 'docker', 'healthcheck.js');
const env = { GLEAM_BIN: `${process.execPath} ${path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js')}`, GLEAM_HOST: '127.0.0.1' };

function start(args: string[], extra: NodeJS.ProcessEnv) {
  const p = spawn('sh', [entrypoint, ...args], { env: { ...process.env, ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  p.stderr!.on('data', (d) => (err += d));
  return { p, err: () => err };
}

function stop(p: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) return resolve(p.exitCode);
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', (code) => {
      clearTimeout(t);
      resolve(code);
    });
    p.kill('SIGTERM');
  });
}

test('entrypoint.sh master / agent start a working cluster (exec: signals reach gleam)', async () => {
  const masterPort = await freePort();
  const agentPort = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-entry-'));
  const health = { master: path.join(dir, 'master-listen'), agent: path.join(dir, 'agent-listen') };
  const check = (who: keyof typeof health) => run(process.execPath, [healthcheck], { env: { GLEAM_HEALTH_FILE: health[who] }, timeoutMs: 10000 });
  const master = start(['master', '--http-port', '0'], { GLEAM_PORT: String(masterPort), GLEAM_HEALTH_FILE: health.master });
  const agent = start(['agent', '--executors', '1'], { GLEAM_PORT: String(agentPort), GLEAM_MASTER_ADDRESS: `127.0.0.1:${masterPort}`, GLEAM_DIR: path.join(dir, 'data'), GLEAM_HEALTH_FILE: health.agent });
  try {
    let status = '';
    for (let i = 0; i < 60 && !status.includes(`127.0.0.1:${agentPort}`); i++) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await gleam(['status', '--master', `127.0.0.1:${masterPort}`, '--json'])).stdout;
    }
    expect(JSON.parse(status).agents.map((a: { address: string }) => a.address)).toEqual([`127.0.0.1:${agentPort}`]);
    expect(fs.existsSync(path.join(dir, 'data'))).toBe(true);
    const r = await gleam(['run', 'examples/wordcount.ts', '--master', `127.0.0.1:${masterPort}`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe((await gleam(['run', 'examples/wordcount.ts'])).stdout);
    expect(await check('master')).toEqual({ code: 0, stdout: `healthy: 127.0.0.1:${masterPort} accepts connections\n`, stderr: '' });
    expect(await check('agent')).toEqual({ code: 0, stdout: `healthy: 127.0.0.1:${agentPort} accepts connections\n`, stderr: '' });
  } finally {
    expect(await stop(agent.p)).toBe(0);
    expect(await stop(master.p)).toBe(0);
  }
  try {
    const down = await check('agent');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`^unhealthy: 127\\.0\\.0\\.1:${agentPort}: connect ECONNREFUSED`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60000);

test('entrypoint.sh runs any other command as given; such a container has nothing to check and is healthy', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-entry-'));
  try {
    const healthFile = path.join(dir, 'listen');
    const r = await run('sh', [entrypoint, 'echo', 'hello', 'from', 'the', 'image'], { env: { ...env, GLEAM_HEALTH_FILE: healthFile } });
    expect(r).toEqual({ code: 0, stdout: 'hello from the image\n', stderr: '' });
    expect(fs.existsSync(healthFile)).toBe(false);
    expect(await run(process.execPath, [healthcheck], { env: { GLEAM_HEALTH_FILE: healthFile } })).toEqual({ code: 0, stdout: '', stderr: '' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the master refuses a non-loopback bind without GLEAM_SECRET', async () => {
  const healthFile = path.join(os.tmpdir(), `gleam-entry-listen-${process.pid}`);
  const r = await run('sh', [entrypoint, 'master'], { env: { ...env, GLEAM_HOST: '0.0.0.0', GLEAM_PORT: String(await freePort()), GLEAM_SECRET: '', GLEAM_HEALTH_FILE: healthFile }, timeoutMs: 15000 });
  fs.rmSync(healthFile, { force: true });
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('requires a shared secret');
});
