// The CLI's conventions, on real processes: -V/--version and -h/--help on every command, the
// default master (GLEAM_MASTER, then 127.0.0.1:45326), a script's own flags passed through
// without `--`, --log-level, and `gleam logs` / `gleam jobs` / `gleam cancel` on a failed job.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../helpers/cluster';
import { gleam, repoRoot } from '../helpers/runNode';

jest.setTimeout(60000);

const GLEAM = path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js');
const VERSION = /^gleam \d+\.\d+\.\d+ \(node v\d+\.\d+\.\d+\)\n$/;

let dir = '';
const started: ChildProcess[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-cli-'));
  fs.writeFileSync(path.join(dir, 'echo-args.js'), "process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), master: process.env.GLEAM_MASTER || null, partitions: process.env.GLEAM_PARTITIONS || null }) + '\\n');\n");
  fs.writeFileSync(path.join(dir, 'input.txt'), 'a\nb\nboom\n');
  // A driver outside the repository finds the packages through NODE_PATH (set below).
  fs.writeFileSync(
    path.join(dir, 'fail.js'),
    "const { Flow } = require('@gleam/flow-dsl');\nnew Flow('boom job').textFile(process.argv[2]).map((l) => { if (l === 'boom') throw new Error('bad row: ' + l); return [l]; }).printf('%s\\n').run();\n",
  );
});

afterAll(async () => {
  await Promise.all(started.map(stop));
  fs.rmSync(dir, { recursive: true, force: true });
});

const noMasterEnv = { GLEAM_MASTER: '', GLEAM_SECRET: '' };

function startServer(args: string[], env: NodeJS.ProcessEnv = {}): { proc: ChildProcess; log: () => string } {
  const proc = spawn(process.execPath, [GLEAM, ...args], { cwd: repoRoot, env: { ...process.env, ...noMasterEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let log = '';
  proc.stdout!.on('data', (d) => (log += d));
  proc.stderr!.on('data', (d) => (log += d));
  return { proc, log: () => log };
}

function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => p.kill('SIGKILL'), 5000);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

async function until<T>(check: () => Promise<T | undefined>, what: string, log: () => string, timeoutMs = 20000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The subcommands `gleam --help` lists (so commands added later are covered too). */
async function subcommands(): Promise<string[]> {
  const help = (await gleam(['--help'])).stdout;
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

test('-V/--version and -h/--help answer on the program and on every command', async () => {
  const cmds = await subcommands();
  expect(cmds).toEqual(expect.arrayContaining(['run', 'plan', 'master', 'agent', 'status', 'jobs', 'cancel', 'logs']));
  // Short forms on every command, long forms too on the program and one command (one helper adds both).
  const asked = ['', ...cmds].flatMap((c) => (c === '' || c === 'logs' ? ['-V', '--version', '-h', '--help'] : ['-V', '-h']).map((flag) => ({ c, flag })));
  const checks: { c: string; flag: string; r: Awaited<ReturnType<typeof gleam>> }[] = [];
  for (let i = 0; i < asked.length; i += 4) {
    checks.push(...(await Promise.all(asked.slice(i, i + 4).map(async ({ c, flag }) => ({ c, flag, r: await gleam(c ? [c, flag] : [flag]) })))));
  }
  for (const { c, flag, r } of checks) {
    expect({ c, flag, code: r.code, stderr: r.stderr }).toEqual({ c, flag, code: 0, stderr: '' });
    if (flag === '-V' || flag === '--version') expect(r.stdout).toMatch(VERSION);
    else expect(r.stdout).toContain(`Usage: gleam ${c ? `${c} ` : ''}`);
  }
});

test("a script's own flags pass through without --; gleam's flags are taken anywhere", async () => {
  const script = path.join(dir, 'echo-args.js');
  const r = await gleam(['run', script, '--foo', '1', 'bar', '--partitions', '3', '-x'], { env: noMasterEnv });
  expect(r.stderr).toBe('');
  expect(JSON.parse(r.stdout)).toEqual({ argv: ['--foo', '1', 'bar', '-x'], master: null, partitions: '3' });
  const after = await gleam(['run', script, 'in.txt', '--', '--partitions', '7'], { env: noMasterEnv });
  expect(JSON.parse(after.stdout)).toEqual({ argv: ['in.txt', '--partitions', '7'], master: null, partitions: null });
});

test('client commands default to GLEAM_MASTER, then 127.0.0.1:45326', async () => {
  const r = await gleam(['logs', 'no-such-job'], { env: noMasterEnv, timeoutMs: 20000 });
  expect(r.code).toBe(1);
  // Either nothing listens there, or a master does and has no such job: both name the address.
  expect(r.stderr).toMatch(/master at 127\.0\.0\.1:45326/);
  const port = await freePort();
  const env = await gleam(['jobs'], { env: { GLEAM_MASTER: `127.0.0.1:${port}` }, timeoutMs: 20000 });
  expect(env.code).toBe(1);
  expect(env.stderr).toContain(`gleam: cannot reach the master at 127.0.0.1:${port}`);
});

test('--log-level: silent master, agent from GLEAM_MASTER, and gleam logs / jobs / cancel on a failed job', async () => {
  const [port, agentPort] = [await freePort(), await freePort()];
  const master = `127.0.0.1:${port}`;
  const m = startServer(['master', '--port', String(port), '--http-port', 'off', '--log-level', 'silent']);
  // No --master: the agent finds the master through GLEAM_MASTER.
  const a = startServer(['agent', '--port', String(agentPort), '--executors', '1', '--dir', path.join(dir, 'agent'), '--log-level', 'debug'], { GLEAM_MASTER: master });
  const logs = () => `master:\n${m.log()}\nagent:\n${a.log()}`;
  await until(
    async () => {
      const st = await gleam(['status', '--json', '--master', master]);
      return st.code === 0 && JSON.parse(st.stdout).agents.some((x: { alive: boolean }) => x.alive) ? true : undefined;
    },
    'the agent to register',
    logs,
  );

  const run = await gleam(['run', path.join(dir, 'fail.js'), path.join(dir, 'input.txt')], { env: { GLEAM_MASTER: master, NODE_PATH: path.join(repoRoot, 'node_modules') } });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('bad row: boom');

  const jobs = JSON.parse((await gleam(['jobs', '--json'], { env: { GLEAM_MASTER: master } })).stdout) as { jobId: string; name: string; state: string }[];
  expect(jobs.map((j) => [j.name, j.state])).toEqual([['boom job', 'failed']]);
  const jobId = jobs[0].jobId;

  const byId = await gleam(['logs', jobId, '--master', master]);
  expect(byId.stderr).toBe('');
  const lines = byId.stdout.split('\n');
  expect(lines[0]).toMatch(new RegExp(`^job ${jobId} \\(boom job\\): failed, 0/\\d+ tasks done, driver `));
  expect(byId.stdout).toContain('step "map#2": the UDF threw Error: bad row: boom\n  row: ["boom"]\n  UDF stack:');
  // Without an id: the most recent failed job, the same text.
  expect((await gleam(['logs', '--master', master])).stdout).toBe(byId.stdout);
  expect(JSON.parse((await gleam(['logs', jobId, '--json', '--master', master])).stdout)).toMatchObject({ jobId, name: 'boom job', state: 'failed', error: expect.stringContaining('bad row: boom') });

  const cancel = await gleam(['cancel', jobId, '--master', master]);
  expect({ code: cancel.code, stderr: cancel.stderr }).toEqual({ code: 1, stderr: `gleam: job ${jobId} already failed: nothing to cancel\n` });

  // silent: the master wrote nothing; debug: the agent wrote its info lines (and more).
  expect(m.log()).toBe('');
  expect(a.log()).toContain('"level":30');
  await Promise.all([stop(a.proc), stop(m.proc)]);
});
