// The status page's login, with real HTTP requests: /login sets an HttpOnly, SameSite=Strict
// session cookie; without it (or the x-gleam-secret header) every page is 401 with a link to
// /login; the secret never appears in a URL, a link or the cookie.
import { cookieOf, httpRequest, login } from '../../../test/helpers/httpRequest';
import { startMaster, type MasterHandle } from '../src/startMaster';
import { SESSION_MS, StatusSessions } from '../src/statusSession';
import { quiet } from './helpers';

jest.setTimeout(15000);

const SECRET = 'page s3cret&=+';
let master: MasterHandle;
let base: string;

beforeAll(async () => {
  master = await startMaster({ port: 0, httpPort: 0, secret: SECRET, logger: quiet });
  base = `http://${master.httpAddress}`;
});

afterAll(async () => {
  await master?.stop();
});

test('without a session every page is 401 with a link to /login', async () => {
  for (const p of ['/', '/status.json', '/index.html', '/nope']) {
    const r = await httpRequest(`${base}${p}`);
    expect(r.status).toBe(401);
    expect(r.body).toContain('<a href="/login">');
    expect(r.body).toContain('x-gleam-secret');
  }
});

test('GET /login is a form that POSTs a password field to /login', async () => {
  const r = await httpRequest(`${base}/login`);
  expect(r.status).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/html/);
  expect(r.headers['x-frame-options']).toBe('DENY');
  expect(r.body).toMatch(/<form method="post" action="\/login">/);
  expect(r.body).toMatch(/<input type="password" name="secret"/);
});

test('a wrong secret is 401 with the form again, and sets no cookie', async () => {
  const t0 = Date.now();
  const r = await login(base, 'wrong');
  expect(r.status).toBe(401);
  expect(r.headers['set-cookie']).toBeUndefined();
  expect(r.body).toContain('Wrong secret');
  expect(r.body).toContain('type="password"');
  expect(Date.now() - t0).toBeGreaterThanOrEqual(400); // guessing is slowed down
});

test('the right secret sets an HttpOnly, SameSite=Strict cookie (not Secure over plain HTTP) and redirects to /', async () => {
  const r = await login(base, SECRET);
  expect(r.status).toBe(303);
  expect(r.headers.location).toBe('/');
  const set = r.headers['set-cookie']?.[0] ?? '';
  expect(set).toMatch(/^gleam_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
  expect(set).not.toContain(encodeURIComponent(SECRET));
  expect(set).not.toContain(SECRET);
  const cookie = cookieOf(r);
  const page = await httpRequest(`${base}/`, { headers: { cookie } });
  expect(page.status).toBe(200);
  expect(page.body).toContain('gleam master');
  expect(page.body).toContain('<a href="status.json">');
  expect(page.body).not.toContain('secret=');
  const json = await httpRequest(`${base}/status.json`, { headers: { cookie: `other=1; ${cookie}` } });
  expect(json.status).toBe(200);
  expect(JSON.parse(json.body).startedMs).toBeGreaterThan(0);
});

test('a forged or altered cookie is refused', async () => {
  const cookie = cookieOf(await login(base, SECRET));
  const [name, token] = cookie.split('=');
  const [expiry, mac] = token.split('.');
  const forged = [
    `${name}=${Number(expiry) + 1000}.${mac}`, // a longer life with the old signature
    `${name}=${expiry}.${mac.slice(0, -2)}AA`,
    `${name}=${expiry}`,
    `${name}=`,
    `${name}=${SECRET}`,
  ];
  for (const c of forged) expect((await httpRequest(`${base}/`, { headers: { cookie: c } })).status).toBe(401);
});

test('scripts send the secret in the x-gleam-secret header; ?secret= is not accepted', async () => {
  expect((await httpRequest(`${base}/status.json`, { headers: { 'x-gleam-secret': SECRET } })).status).toBe(200);
  expect((await httpRequest(`${base}/status.json`, { headers: { 'x-gleam-secret': 'wrong' } })).status).toBe(401);
  expect((await httpRequest(`${base}/status.json?secret=${encodeURIComponent(SECRET)}`)).status).toBe(401);
});

test('other methods are refused; an oversized login form is 413', async () => {
  expect((await httpRequest(`${base}/`, { method: 'POST', headers: { 'x-gleam-secret': SECRET } })).status).toBe(405);
  expect((await httpRequest(`${base}/login`, { method: 'PUT' })).status).toBe(405);
  const big = await httpRequest(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `secret=${'x'.repeat(20000)}` });
  expect(big.status).toBe(413);
  expect(big.headers['set-cookie']).toBeUndefined();
});

test('a session expires', () => {
  const sessions = new StatusSessions(SECRET, true);
  const set = sessions.newSessionCookie(1_000_000);
  expect(set).toMatch(/; Secure$/);
  const req = (cookie: string) => ({ headers: { cookie } }) as never;
  const cookie = set.split(';')[0];
  expect(sessions.allows(req(cookie), 1_000_000 + SESSION_MS - 1)).toBe(true);
  expect(sessions.allows(req(cookie), 1_000_000 + SESSION_MS)).toBe(false);
  // Another secret signs differently: changing the secret ends every session.
  expect(new StatusSessions('other', true).allows(req(cookie), 1_000_001)).toBe(false);
});

test('a master without a secret serves the page openly and /login says there is nothing to log in to', async () => {
  const open = await startMaster({ port: 0, httpPort: 0, logger: quiet });
  try {
    expect((await httpRequest(`http://${open.httpAddress}/`)).status).toBe(200);
    const r = await httpRequest(`http://${open.httpAddress}/login`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('no cluster secret');
  } finally {
    await open.stop();
  }
});
