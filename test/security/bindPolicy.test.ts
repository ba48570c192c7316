// A server bound beyond loopback needs the secret and TLS; `--insecure` waives TLS (and only TLS).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '../helpers/cluster';
import { waitFor } from '../helpers/processes';
import { gleam, repoRoot } from '../helpers/runNode';
import { makeTestCerts, type TestCerts } from '../helpers/tlsCerts';

jest.setTimeout(60000);

let certs: TestCerts;
const withSecret = { GLEAM_SECRET: 'bind-secret', GLEAM_TLS_CERT: '', GLEAM_TLS_KEY: '', GLEAM_TLS_CA: '' };

beforeAll(() => {
  certs = makeTestCerts();
});

afterAll(() => certs?.remove());

/** Starts `gleam ARGS`, waits for `ready` on its stderr, then stops it with SIGTERM; resolves to its stderr. */
async function startsAndStops(args: string[], ready: string): Promise<string> {
  const proc = spawn(process.execPath, [path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js'), ...args], { env: { ...process.env, ...withSecret }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  try {
    await waitFor(() => stderr.includes(ready) || proc.exitCode !== null, `"${ready}" from gleam ${args[0]}`, 20000);
    expect(stderr).toContain(ready);
  } finally {
    proc.kill('SIGTERM');
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }
  return stderr;
}

test('gleam master and gleam agent on 0.0.0.0 with a secret but no TLS refuse to start, naming --insecure', async () => {
  const master = await gleam(['master', '--host', '0.0.0.0', '--port', String(await freePort()), '--http-port', 'off'], { env: withSecret, timeoutMs: 15000 });
  expect(master.code).toBe(1);
  expect(master.stderr).toBe(
    'gleam: master: binding to 0.0.0.0 (not loopback) requires TLS (pass --tls-cert FILE --tls-key FILE, or set GLEAM_TLS_CERT and GLEAM_TLS_KEY; or pass --insecure to serve plaintext on a network you trust)\n',
  );
  const agent = await gleam(['agent', '--master', '127.0.0.1:1', '--host', '0.0.0.0', '--port', String(await freePort())], { env: withSecret, timeoutMs: 15000 });
  expect(agent.code).toBe(1);
  expect(agent.stderr).toMatch(/^gleam: gleam agent: binding to 0\.0\.0\.0 \(not loopback\) requires TLS .*--insecure/);
});

test('--insecure waives TLS, not the secret', async () => {
  const noSecret = await gleam(['master', '--host', '0.0.0.0', '--port', String(await freePort()), '--http-port', 'off', '--insecure'], { env: { GLEAM_SECRET: '' }, timeoutMs: 15000 });
  expect(noSecret.code).toBe(1);
  expect(noSecret.stderr).toMatch(/requires a shared secret \(set GLEAM_SECRET or pass --secret-file FILE\)\n$/);
  await startsAndStops(['master', '--host', '0.0.0.0', '--port', String(await freePort()), '--http-port', 'off', '--insecure'], 'master listening on 0.0.0.0:');
});

test('with --tls-cert and --tls-key a master binds 0.0.0.0, its status page on https', async () => {
  const stderr = await startsAndStops(['master', '--host', '0.0.0.0', '--port', String(await freePort()), '--http-port', '0', '--tls-cert', certs.cert, '--tls-key', certs.key], 'master listening on 0.0.0.0:');
  expect(stderr).toMatch(/\(TLS\), status page https:\/\/0\.0\.0\.0:\d+\//);
});

test('TLS files are checked at start: a missing file, a lone --tls-cert, a key that is not the certificate\'s', async () => {
  const port = String(await freePort());
  const missing = await gleam(['master', '--port', port, '--http-port', 'off', '--tls-cert', path.join(certs.dir, 'none.pem'), '--tls-key', certs.key], { env: withSecret, timeoutMs: 15000 });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(/^gleam: master: --tls-cert: cannot read .*none\.pem: ENOENT/);
  const lone = await gleam(['agent', '--master', '127.0.0.1:1', '--port', port, '--tls-cert', certs.cert], { env: withSecret, timeoutMs: 15000 });
  expect(lone.code).toBe(1);
  expect(lone.stderr).toBe('gleam: gleam agent: --tls-cert and --tls-key (GLEAM_TLS_CERT, GLEAM_TLS_KEY) go together: only --tls-cert was given\n');
  // The CA's key does not belong to the server certificate.
  const mismatch = await gleam(['master', '--port', port, '--http-port', 'off', '--tls-cert', certs.cert, '--tls-key', path.join(certs.dir, 'ca.key')], { env: withSecret, timeoutMs: 15000 });
  expect(mismatch.code).toBe(1);
  expect(mismatch.stderr).toMatch(/^gleam: master: the TLS certificate .*server\.pem and key .*ca\.key cannot be used: .*key values mismatch/);
});
