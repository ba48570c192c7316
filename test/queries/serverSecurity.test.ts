// `gleam serve` is closed by default like the master: loopback only without a secret (and even
// then it answers loopback Host names only); with a secret every call needs it (Bearer, the
// x-gleam-secret header, or the /login session cookie); a browser's change from another site is
// refused; a non-loopback bind without a secret or TLS is refused at start.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { freePort } from '../helpers/cluster';
import { httpRequest } from '../helpers/httpRequest';
import { gleam } from '../helpers/runNode';
import { makeTestCerts } from '../helpers/tlsCerts';
import { addQuery, api, perTestServe, type ServeProcess } from './serverProcess';

jest.setTimeout(60000);

const SECRET = 'serve-secret';
const t = perTestServe('serve-sec');
let serve: ServeProcess;

test('with a secret: 401 without it; Bearer, x-gleam-secret and the /login cookie are let in; the page asks to log in', async () => {
  serve = await t.start(['--watch', t.area.watch, '--format', 'text'], { env: { GLEAM_SECRET: SECRET } });
  const { base } = serve;
  for (const [method, path] of [['GET', '/queries'], ['POST', '/queries'], ['GET', '/metrics'], ['GET', '/events'], ['GET', '/queries/1']]) {
    const a = await api(base, method, path, { body: method === 'POST' ? 'SELECT line' : undefined });
    expect([method, path, a.status]).toEqual([method, path, 401]);
    expect(a.body.error).toMatch(/missing or wrong cluster secret/);
  }
  expect((await api(base, 'GET', '/queries', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const page = await api(base, 'GET', '/');
  expect(page.status).toBe(401);
  expect(page.text).toContain('/login');

  const id = await addQuery(base, "SELECT line WHERE line CONTAINS 'x'", { authorization: `Bearer ${SECRET}` });
  expect((await api(base, 'GET', `/queries/${id}`, { headers: { 'x-gleam-secret': SECRET } })).status).toBe(200);

  const wrong = await api(base, 'POST', '/login', { body: new URLSearchParams({ secret: 'nope' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(wrong.status).toBe(401);
  const login = await api(base, 'POST', '/login', { body: new URLSearchParams({ secret: SECRET }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(login.status).toBe(303);
  const setCookie = login.headers['set-cookie']![0];
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).not.toContain(SECRET);
  const cookie = setCookie.split(';')[0];
  const withCookie = await api(base, 'GET', '/', { headers: { cookie } });
  expect(withCookie.status).toBe(200);
  expect(withCookie.headers['content-security-policy']).toContain("script-src 'self'");
  expect((await api(base, 'GET', '/queries', { headers: { cookie } })).body).toEqual([{ id, text: "SELECT line WHERE line CONTAINS 'x'" }]);
  // A page of another site cannot use the browser's session to change queries.
  const cross = await api(base, 'DELETE', `/queries/${id}`, { headers: { cookie, origin: 'http://evil.example' } });
  expect(cross.status).toBe(403);
  expect((await api(base, 'DELETE', `/queries/${id}`, { headers: { cookie, origin: base } })).status).toBe(200);
});

test('without a secret: loopback Host names only (no DNS rebinding), changes from another site refused', async () => {
  serve = await t.start(['--watch', t.area.watch, '--format', 'text']);
  const { base } = serve;
  expect((await api(base, 'GET', '/queries')).status).toBe(200);
  const rebound = await api(base, 'GET', '/queries', { headers: { host: 'attacker.example:80' } });
  expect(rebound.status).toBe(403);
  expect(rebound.body.error).toMatch(/loopback/);
  const cross = await api(base, 'POST', '/queries', { body: 'SELECT line', headers: { origin: 'http://evil.example' } });
  expect(cross.status).toBe(403);
  expect((await api(base, 'GET', '/queries')).body).toEqual([]);
  expect((await api(base, 'POST', '/queries', { body: 'SELECT line', headers: { origin: base } })).status).toBe(201);
});

test('bind policy and bad flags are refused at start with the reason', async () => {
  const port = String(await freePort());
  const open = await gleam(['serve', '--watch', t.area.watch, '--format', 'jsonl', '--host', '0.0.0.0', '--port', port], { env: { GLEAM_SECRET: '', GLEAM_TLS_CERT: '', GLEAM_TLS_KEY: '', GLEAM_TLS_CA: '' }, timeoutMs: 20000 });
  expect(open.code).toBe(1);
  expect(open.stderr).toMatch(/^gleam: gleam serve: binding to 0\.0\.0\.0 \(not loopback\) requires a shared secret .* and TLS /);
  const format = await gleam(['serve', '--watch', t.area.watch, '--format', 'xml', '--port', port], { timeoutMs: 20000 });
  expect(format.code).not.toBe(0);
  expect(format.stderr).toMatch(/--format.*xml.*jsonl, csv, text/);
  const missing = await gleam(['serve', '--watch', `${t.area.root}/none`, '--format', 'jsonl', '--port', port], { timeoutMs: 20000 });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(`gleam: gleam serve: --watch ${t.area.root}/none is not a directory\n`);
  const taken = net.createServer();
  await new Promise<void>((r) => taken.listen(Number(port), '127.0.0.1', () => r()));
  try {
    const busy = await gleam(['serve', '--watch', t.area.watch, '--format', 'jsonl', '--port', port], { timeoutMs: 20000 });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toMatch(new RegExp(`^gleam: gleam serve: cannot listen on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.* \\(another server has this port: pass --port N, or 0 for a free one\\)\\n$`));
  } finally {
    await new Promise((r) => taken.close(r));
  }
});

test('with --tls-cert and --tls-key the API is served over https; gleam query trusts --tls-ca', async () => {
  const certs = makeTestCerts();
  try {
    serve = await t.start(['--watch', t.area.watch, '--format', 'text', '--tls-cert', certs.cert, '--tls-key', certs.key], { env: { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' } });
    expect(serve.base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const env = { GLEAM_SECRET: SECRET, GLEAM_TLS_CA: '' };
    const add = await gleam(['query', 'add', 'SELECT line LIMIT 5', '--server', serve.address, '--tls-ca', certs.ca], { env, timeoutMs: 20000 });
    expect([add.code, add.stderr]).toEqual([0, '']);
    const list = await httpRequest(`${serve.base}/queries`, { ca: fs.readFileSync(certs.ca), headers: { authorization: `Bearer ${SECRET}` } });
    expect(JSON.parse(list.body)).toEqual([{ id: add.stdout.trim(), text: 'SELECT line LIMIT 5' }]);
    // A client that does not trust the CA is told why.
    const untrusted = await gleam(['query', 'list', '--server', serve.address, '--tls-ca', certs.otherCa], { env, timeoutMs: 20000 });
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toMatch(/^gleam: cannot reach the query server 127\.0\.0\.1:\d+: .*(certificate|self.signed)/);
  } finally {
    certs.remove();
  }
});
