// A master with a cluster secret refuses every RPC and page request without it.
import { callMetadata, unary, grpc, type MasterClient } from '@gleam/proto';
import { startMaster, type MasterHandle } from '../src/startMaster';
import { allocate, cancelJob, clusterStatus, fakeAgent, masterClient, quiet, rawLease } from './helpers';

jest.setTimeout(15000);

const SECRET = 's3cret';
let master: MasterHandle;
let client: MasterClient;

beforeAll(async () => {
  master = await startMaster({ port: 0, httpPort: 0, secret: SECRET, logger: quiet });
  client = masterClient(master.address);
});

afterAll(async () => {
  client?.close();
  await master?.stop();
});

test('unary calls without or with a wrong secret are UNAUTHENTICATED; the right one works', async () => {
  await expect(clusterStatus(client)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  await expect(clusterStatus(client, 'wrong')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  await expect(allocate(client, 'j', 1)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  await expect(unary(client.ReportJob.bind(client), { jobId: 'j', state: 'running' }, callMetadata('wrong'), 3000)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  await expect(unary(client.ReleaseSlots.bind(client), { jobId: 'j' }, callMetadata(), 3000)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  const s = await clusterStatus(client, SECRET);
  expect(s.jobs).toEqual([]);
});

test('a heartbeat stream without the secret is refused and registers nothing', async () => {
  const bad = fakeAgent(client, '127.0.0.1:7001', {}, 'wrong');
  await expect(bad.beat()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  expect((await clusterStatus(client, SECRET)).agents).toEqual([]);
  const good = fakeAgent(client, '127.0.0.1:7002', {}, SECRET);
  await good.beat();
  expect((await clusterStatus(client, SECRET)).agents.map((a) => a.address)).toEqual(['127.0.0.1:7002']);
  good.cancel();
});

test('a job lease and CancelJob without the secret are refused', async () => {
  const bad = rawLease(client, 'j', 'wrong');
  await expect(bad.beat()).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  await expect(cancelJob(client, 'j', 'x')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  expect((await clusterStatus(client, SECRET)).jobs).toEqual([]);
  const good = rawLease(client, 'j', SECRET);
  expect((await good.beat()).held).toBeTruthy();
  expect(await cancelJob(client, 'j', 'x', SECRET)).toEqual({ found: true, state: 'cancelled' });
  await good.closed;
});

test('the status page needs the secret too: a session from /login or the header, never ?secret=', async () => {
  const base = `http://${master.httpAddress}`;
  expect((await fetch(`${base}/`)).status).toBe(401);
  expect((await fetch(`${base}/status.json`)).status).toBe(401);
  // The secret in a URL ends up in logs and histories: no longer accepted.
  expect((await fetch(`${base}/status.json?secret=${SECRET}`)).status).toBe(401);
  expect((await fetch(`${base}/?secret=${SECRET}`)).status).toBe(401);
  const byHeader = await fetch(`${base}/status.json`, { headers: { 'x-gleam-secret': SECRET } });
  expect(byHeader.status).toBe(200);
  expect((await byHeader.json()).startedMs).toBeGreaterThan(0);
});

test('binding to a non-loopback address needs a secret, and TLS unless insecure', async () => {
  await expect(startMaster({ host: '0.0.0.0', port: 0, httpPort: -1, logger: quiet })).rejects.toThrow(/requires a shared secret .* and TLS/);
  await expect(startMaster({ host: '0.0.0.0', port: 0, httpPort: -1, secret: SECRET, logger: quiet })).rejects.toThrow(
    /^master: binding to 0\.0\.0\.0 \(not loopback\) requires TLS \(pass --tls-cert FILE --tls-key FILE.*or pass --insecure/,
  );
  await expect(startMaster({ host: '127.0.0.1.evil.example', port: 0, httpPort: -1, secret: SECRET, logger: quiet })).rejects.toThrow(/requires TLS/);
  const insecure = await startMaster({ host: '0.0.0.0', port: 0, httpPort: -1, secret: SECRET, insecure: true, logger: quiet });
  await insecure.stop();
});
