// Where the CLI takes the cluster secret from: --secret-file (one final newline dropped),
// GLEAM_SECRET, or --secret on the command line, which still works but warns that every user of
// the machine can read it in the process list.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { gleam } from '../helpers/runNode';

jest.setTimeout(90000);

const SECRET = 'from-a-file';
let dir: string;
let secretFile: string;
let cluster: TestCluster;
const noEnvSecret = { GLEAM_SECRET: '' };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-secrets-'));
  secretFile = path.join(dir, 'secret');
  fs.writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
  // The servers read the secret from the file; a decoy in their environment must lose to it.
  cluster = await startCluster({ agents: 1, executors: 2, env: { GLEAM_SECRET: 'decoy' }, serverArgs: ['--secret-file', secretFile], clientEnv: { GLEAM_SECRET: SECRET } });
});

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the servers took the secret from --secret-file, less its final newline', async () => {
  const viaEnv = await gleam(['status', '--master', cluster.master], { env: { GLEAM_SECRET: SECRET } });
  expect(viaEnv.stderr).toBe('');
  expect(viaEnv.code).toBe(0);
  const decoy = await gleam(['status', '--master', cluster.master], { env: { GLEAM_SECRET: 'decoy' } });
  expect(decoy.code).toBe(1);
  expect(decoy.stderr).toContain('refused the secret');
  expect(cluster.logs()).not.toContain('process list');
});

test('clients take --secret-file too; a driver run with it prints nothing on stderr', async () => {
  const status = await gleam(['status', '--master', cluster.master, '--secret-file', secretFile], { env: noEnvSecret });
  expect(status.stderr).toBe('');
  expect(status.code).toBe(0);
  const local = await gleam(['run', 'examples/wordcount.ts']);
  const remote = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master, '--secret-file', secretFile], { env: noEnvSecret });
  expect(remote.stderr).toBe('');
  expect(remote.stdout).toBe(local.stdout);
});

test('--secret on the command line still works, with a warning that it shows in the process list', async () => {
  const r = await gleam(['jobs', '--master', cluster.master, '--secret', SECRET], { env: noEnvSecret });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('gleam: warning: --secret is visible to every user of this machine in the process list (ps, /proc): set GLEAM_SECRET or pass --secret-file FILE instead\n');
  const run = await gleam(['run', 'examples/wordcount.ts', '--master', cluster.master, '--secret', SECRET], { env: noEnvSecret });
  expect(run.code).toBe(0);
  expect(run.stderr).toContain('--secret is visible');
});

test('a server started with --secret logs the warning', async () => {
  const argv = await startCluster({ agents: 0, serverArgs: ['--secret', 'on-argv'], env: noEnvSecret, clientEnv: { GLEAM_SECRET: 'on-argv' } });
  try {
    expect(argv.logs()).toMatch(/"level":40.*--secret is visible to every user of this machine in the process list/);
  } finally {
    await argv.stop();
  }
});

test('a missing or empty secret file, or a secret given twice, stops the command with the reason', async () => {
  const missing = path.join(dir, 'none');
  const r1 = await gleam(['status', '--master', cluster.master, '--secret-file', missing], { env: noEnvSecret });
  expect(r1.code).toBe(1);
  expect(r1.stderr).toBe(`gleam: --secret-file: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'\n`);
  const empty = path.join(dir, 'empty');
  fs.writeFileSync(empty, '\n');
  const r2 = await gleam(['master', '--port', '0', '--http-port', 'off', '--secret-file', empty], { env: noEnvSecret, timeoutMs: 15000 });
  expect(r2.code).toBe(1);
  expect(r2.stderr).toBe(`gleam: --secret-file: ${empty} is empty: put the cluster secret in it\n`);
  const r3 = await gleam(['jobs', '--master', cluster.master, '--secret-file', secretFile, '--secret', SECRET], { env: noEnvSecret });
  expect(r3.code).toBe(1);
  expect(r3.stderr).toBe('gleam: give the secret once: --secret-file or --secret, not both\n');
});
