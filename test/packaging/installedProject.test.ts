// The engine as a user outside this repository gets it: every package packed into an npm
// tarball (scripts/pack.js), installed with plain `npm install` into a fresh project under the
// system temp directory, then a TypeScript driver (npx tsx), a JavaScript driver (node),
// `npx gleam run` and a cluster of `npx gleam master` + 2 × `npx gleam agent` run there.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../helpers/cluster';
import { pidAlive } from '../helpers/processes';
import { repoRoot, run, type RunResult } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { packAll } = require(path.join(repoRoot, 'scripts', 'pack.js')) as { packAll: (dest: string) => string[] };

jest.setTimeout(240000);

const TSX_VERSION = '4.23.15';
const TYPES_NODE_VERSION = '20.19.43';
const INPUT = 'the cat and the dog\nthe end of the cat\n';
// Most frequent first, ties by word: what every driver below must print.
const COUNTS = 'the\t4\ncat\t2\nand\t1\ndog\t1\nend\t1\nof\t1\n';

const JS_DRIVER = `'use strict';
const { Flow } = require('@gleam/flow-dsl');

new Flow('installed word count js')
  .textFile(process.argv[2])
  .flatMap('(line) => line.split(/[^A-Za-z]+/).filter(Boolean)')
  .map((word) => [word, 1])
  .reduceBy((x, y) => x + y)
  .sort({ by: [[2, 'desc'], 1] })
  .printf('%s\\t%d\\n')
  .run();
`;

let project = '';
const started: ChildProcess[] = [];

/** npx in the installed project, with nothing of this repository on its paths. */
function npx(args: string[], timeoutMs = 60000): Promise<RunResult> {
  return run('npx', ['--no-install', ...args], { cwd: project, env: cleanEnv(), timeoutMs });
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_yes: 'false', npm_config_update_notifier: 'false' };
  for (const k of ['NODE_PATH', 'GLEAM_MASTER', 'GLEAM_SECRET', 'TS_NODE_PROJECT']) delete env[k];
  return env;
}

/** A long-running `npx gleam ...` in its own process group, so that stopping it stops its node too. */
function startGleam(args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn('npx', ['--no-install', 'gleam', ...args], { cwd: project, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  started.push(child);
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  return { child, log: () => log };
}

async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (!pid || !pidAlive(pid)) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (pidAlive(pid)) process.kill(-pid, 'SIGKILL');
}

beforeAll(async () => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-installed-'));
  const tarballs = packAll(path.join(project, 'tarballs'));
  expect(tarballs.map((t) => path.basename(t))).toEqual(
    ['agent', 'cli', 'driver', 'executor', 'flow-dsl', 'master', 'proto', 'queries'].map((p) => `gleam-${p}-0.1.0.tgz`),
  );
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-flows', version: '1.0.0', private: true }, null, 2));
  fs.writeFileSync(path.join(project, 'input.txt'), INPUT);
  // The TypeScript driver is the repository's own word count example, unchanged.
  fs.copyFileSync(path.join(repoRoot, 'examples', 'wordcount.ts'), path.join(project, 'driver.ts'));
  fs.writeFileSync(path.join(project, 'driver.js'), JS_DRIVER);
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, `tsx@${TSX_VERSION}`, `@types/node@${TYPES_NODE_VERSION}`], { cwd: project, env: cleanEnv(), timeoutMs: 180000 });
  if (install.code !== 0) throw new Error(`npm install failed (${install.code}):\n${install.stderr}`);
}, 240000);

afterAll(async () => {
  await Promise.all(started.map(stopGroup));
  if (project) fs.rmSync(project, { recursive: true, force: true });
}, 30000);

test('the packages resolve from the project, as built JavaScript with type declarations', () => {
  const resolved = require.resolve('@gleam/flow-dsl', { paths: [project] });
  expect(resolved).toBe(fs.realpathSync(path.join(project, 'node_modules', '@gleam', 'flow-dsl', 'dist', 'index.js')));
  for (const p of ['flow-dsl', 'driver', 'executor', 'proto', 'master', 'agent', 'cli']) {
    const dir = path.join(project, 'node_modules', '@gleam', p);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(JSON.stringify(pkg.dependencies ?? {})).not.toContain('workspace:');
    expect(fs.existsSync(path.join(dir, pkg.types))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'src'))).toBe(false);
  }
  // The gRPC service is loaded from the .proto file next to the built code.
  expect(fs.existsSync(path.join(project, 'node_modules', '@gleam', 'proto', 'gleam.proto'))).toBe(true);
});

test("the driver type-checks under --strict against the installed declarations (tsc from @gleam/cli's dependencies)", async () => {
  // `types`/`exports` lead the compiler to complete declarations (no missing module or file), and
  // the row types hold under --strict outside the repository too (test/types checks them in detail).
  const r = await npx(['tsc', '--noEmit', '--strict', '--skipLibCheck', 'false', '--module', 'commonjs', '--moduleResolution', 'node', '--target', 'es2022', '--types', 'node', 'driver.ts']);
  expect({ code: r.code, out: r.stdout + r.stderr }).toEqual({ code: 0, out: '' });
});

test('a TypeScript driver runs with npx tsx', async () => {
  const r = await npx(['tsx', 'driver.ts', 'input.txt']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout).toBe(COUNTS);
});

test('a JavaScript driver runs with plain node', async () => {
  const r = await run(process.execPath, ['driver.js', 'input.txt'], { cwd: project, env: cleanEnv() });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout).toBe(COUNTS);
});

test('npx gleam run runs the JavaScript and the TypeScript driver', async () => {
  for (const script of ['driver.js', 'driver.ts']) {
    const r = await npx(['gleam', 'run', script, 'input.txt']);
    expect({ script, code: r.code, stderr: r.stderr }).toEqual({ script, code: 0, stderr: '' });
    expect(r.stdout).toBe(COUNTS);
  }
  const v = await npx(['gleam', '--version']);
  expect(v.stdout).toMatch(/^gleam 0\.1\.0 /);
});

test('npx gleam master + 2 npx gleam agent run a cluster job', async () => {
  const [masterPort, httpPort, a1, a2] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const master = `127.0.0.1:${masterPort}`;
  const m = startGleam(['master', '--port', String(masterPort), '--http-port', String(httpPort)]);
  const agents = [a1, a2].map((port, i) => startGleam(['agent', '--master', master, '--port', String(port), '--executors', '1', '--dir', path.join(project, `agent${i + 1}`)]));
  const gleamJs = path.join(project, 'node_modules', '@gleam', 'cli', 'bin', 'gleam.js');
  const logs = () => [m, ...agents].map((p) => p.log()).join('\n');
  let alive: string[] = [];
  for (let i = 0; i < 120 && alive.length < 2; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const st = await run(process.execPath, [gleamJs, 'status', '--json', '--master', master], { cwd: project, env: cleanEnv(), timeoutMs: 10000 });
    if (st.code === 0) alive = (JSON.parse(st.stdout).agents as { address: string; alive: boolean }[]).filter((a) => a.alive).map((a) => a.address);
  }
  if (alive.length < 2) throw new Error(`the agents did not register:\n${logs()}`);
  expect(alive.sort()).toEqual([`127.0.0.1:${a1}`, `127.0.0.1:${a2}`].sort());

  const r = await npx(['gleam', 'run', 'driver.ts', 'input.txt', '--master', master, '--partitions', '2']);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  expect(r.stdout).toBe(COUNTS);
  // GLEAM_MASTER, as the CLI's other default after --master.
  const jobs = await run('npx', ['--no-install', 'gleam', 'jobs', '--json'], { cwd: project, env: { ...cleanEnv(), GLEAM_MASTER: master } });
  expect((JSON.parse(jobs.stdout) as { name: string; state: string }[]).map((j) => [j.name, j.state])).toEqual([['word count', 'succeeded']]);
  await Promise.all([m, ...agents].map((p) => stopGroup(p.child)));
});
