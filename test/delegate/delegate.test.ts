// delegate against real local HTTP services: exact outputs, retries as the server counts them,
// timeouts, batches, the per-task concurrency limit, order within a partition, redacted headers,
// and the same step on a DStream and on a master + 2 agents.
import { Writable } from 'node:stream';
import { Flow, GleamError } from '@gleam/flow-dsl';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { httpRequest } from '../helpers/httpRequest';
import { collectBatches, rowsOf } from '../streaming/helpers';
import { json, startService, type Service } from './services';

jest.setTimeout(60000);

const services: Service[] = [];
async function service(handler: Parameters<typeof startService>[0]): Promise<Service> {
  const s = await startService(handler);
  services.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

const local = { executors: 2 };
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const byFirst = (rows: unknown[][]) => [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));

/** A scoring service: { score: v * 10 } for a number, { score: sum } for an array (a multi-field row). */
const score = () =>
  service((v, _n, res) => json(res, { score: Array.isArray(v) ? v.reduce((a: number, b: number) => a + b, 0) : v * 10 }));

describe('delegate (local mode)', () => {
  test('a scoring service: [...row, parsed JSON] for every row; multi-field rows send the row', async () => {
    const s = await score();
    const flow = new Flow('delegate score');
    const rows = await flow.slices(range(20), 3).delegate(s.url).collect(local);
    expect(byFirst(rows)).toEqual(range(20).map((v) => [v, { score: v * 10 }]));
    expect(s.requests).toBe(20);
    const pairs = await flow.slices([[1, 2], [3, 4]], 2).map((a: number, b: number) => [a, b]).delegate({ url: s.url }).collect(local);
    expect(byFirst(pairs)).toEqual([[1, 2, { score: 3 }], [3, 4, { score: 7 }]]);
    await flow.close();
  });

  test('a text answer stays text; a body is the JSON of the value', async () => {
    const s = await service((v, _n, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`hello ${v.name}`);
    });
    const flow = new Flow('delegate text');
    const rows = await flow.slices([{ name: 'ann' }, { name: 'bo' }], 1).delegate({ url: s.url, method: 'put' }).collect(local);
    expect(rows).toEqual([[{ name: 'ann' }, 'hello ann'], [{ name: 'bo' }, 'hello bo']]);
    expect(s.bodies).toEqual([{ name: 'ann' }, { name: 'bo' }]);
    await flow.close();
  });

  test('a slow service: order kept within a partition, in flight never above concurrency × executors', async () => {
    // Later rows answer sooner: the stage must still emit in input order.
    const s = await service((v, _n, res) => setTimeout(() => json(res, v * 2), 5 + ((41 - v) % 10) * 3));
    const flow = new Flow('delegate slow');
    const rows = await flow.slices(range(40), 4).delegate({ url: s.url, concurrency: 3 }).collect(local);
    expect(rows).toEqual(range(40).map((v) => [v, v * 2]));
    expect(s.maxInFlight).toBeLessThanOrEqual(3 * local.executors);
    expect(s.maxInFlight).toBeGreaterThanOrEqual(3);
    // Keep-alive: sockets are reused across rows (one Agent per executor thread), not one per row.
    expect(s.connections).toBeLessThanOrEqual(3 * local.executors);
    await flow.close();
  });

  test('503 + Retry-After: retried after the server-given delay; the server sees every attempt', async () => {
    const s = await service((v, n, res) => (n < 3 ? json(res, { busy: true }, 503, { 'retry-after': v === 1 ? '1' : '0' }) : json(res, { score: v })));
    const flow = new Flow('delegate retry');
    const t0 = Date.now();
    const rows = await flow.slices([1, 2], 1).delegate({ url: s.url, backoffMs: 1 }).collect(local);
    expect(rows).toEqual([[1, { score: 1 }], [2, { score: 2 }]]);
    expect(s.requests).toBe(6);
    // Two Retry-After: 1 waits for value 1 (backoffMs alone would be 1 + 2 ms).
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    await flow.close();
  });

  test('a Retry-After beyond 60 s ends the retries at once, saying why', async () => {
    const s = await service((_v, _n, res) => json(res, 'later', 503, { 'retry-after': '3600' }));
    const flow = new Flow('delegate retry-after cap');
    const t0 = Date.now();
    const rows = await flow.slices([3], 1).delegate({ url: s.url, onError: 'emit' }).collect(local);
    expect(rows).toEqual([[3, { error: 'answered 503: "later" (it asked to retry after 3600 s, beyond the 60 s a delegate waits; after 1 attempts)', status: 503 }]]);
    expect(s.requests).toBe(1);
    expect(Date.now() - t0).toBeLessThan(10000);
    await flow.close();
  });

  test('503 after the last retry: fail names step, URL, status and row; emit yields { error, status }', async () => {
    const s = await service((_v, _n, res) => json(res, 'down', 503));
    const flow = new Flow('delegate 503');
    const err = await flow.slices([7], 1).delegate({ url: s.url, retries: 2, backoffMs: 5 }).collect(local).catch((e) => e);
    expect(err).toBeInstanceOf(GleamError);
    expect(err.message).toBe(`step "delegate#2": POST ${s.url} answered 503: "down" (after 3 attempts); status: 503\n  row: [7]`);
    expect(s.requests).toBe(3);
    const rows = await flow.slices([7, 8], 1).delegate({ url: s.url, retries: 1, backoffMs: 5, onError: 'emit' }).collect(local);
    expect(rows).toEqual([
      [7, { error: 'answered 503: "down" (after 2 attempts)', status: 503 }],
      [8, { error: 'answered 503: "down" (after 2 attempts)', status: 503 }],
    ]);
    expect(s.requests).toBe(3 + 4);
    await flow.close();
  });

  test('400 fails at once (no retry), naming URL, status and row; emit yields it as the response', async () => {
    const s = await service((v, _n, res) => (v === 3 ? json(res, { error: 'bad value' }, 400) : json(res, v)));
    const flow = new Flow('delegate 400');
    const err = await flow.slices([1, 2, 3, 4], 1).delegate({ url: s.url, concurrency: 1 }).collect(local).catch((e) => e);
    expect(err.message).toBe(`step "delegate#2": POST ${s.url} answered 400: {"error":"bad value"}; status: 400\n  row: [3]`);
    expect(s.bodies.filter((b) => b === 3)).toHaveLength(1);
    const rows = await flow.slices([2, 3], 1).delegate({ url: s.url, onError: 'emit' }).collect(local);
    expect(rows).toEqual([[2, 2], [3, { error: 'answered 400: {"error":"bad value"}', status: 400 }]]);
    await flow.close();
  });

  test('a hanging service: each attempt times out, retried, then fail or emit', async () => {
    const s = await service(() => undefined);
    const flow = new Flow('delegate hang');
    const t0 = Date.now();
    const err = await flow.slices([5], 1).delegate({ url: s.url, timeoutMs: 200, retries: 2, backoffMs: 10 }).collect(local).catch((e) => e);
    expect(err.message).toBe(`step "delegate#2": POST ${s.url} timed out after 200 ms (after 3 attempts); status: none\n  row: [5]`);
    expect(s.requests).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    const rows = await flow.slices([5], 1).delegate({ url: s.url, timeoutMs: 100, retries: 0, onError: 'emit' }).collect(local);
    expect(rows).toEqual([[5, { error: 'timed out after 100 ms', status: null }]]);
    await flow.close();
  });

  test('cancelling the job aborts the requests in flight at once', async () => {
    const ac = new AbortController();
    // Cancelled once the first task has its 20 requests in flight (and they hang).
    const s = await service(() => (s.requests === 20 ? setTimeout(() => ac.abort(), 100) : undefined));
    const flow = new Flow('delegate cancel');
    const t0 = Date.now();
    const err = await flow.slices(range(100), 2).delegate({ url: s.url, concurrency: 20 }).collect({ ...local, signal: ac.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(ac.signal.aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5000);
    // No retries after the cancel: at most concurrency × executors requests were ever sent.
    expect(s.requests).toBeLessThanOrEqual(40);
    await flow.close();
  });

  test('a refused connection is retried, then fails naming the URL', async () => {
    const gone = await service(() => undefined);
    await gone.close();
    const flow = new Flow('delegate refused');
    const err = await flow.slices([1], 1).delegate({ url: gone.url, retries: 1, backoffMs: 5 }).collect(local).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`^step "delegate#2": POST ${gone.url} request failed: .*ECONNREFUSED.* \\(after 2 attempts\\); status: none\\n  row: \\[1\\]$`));
    await flow.close();
  });

  test('batchSize: JSON arrays of values, answered in order; a wrong length is a clear error', async () => {
    const s = await service((vs, _n, res) => json(res, vs.map((v: number) => v * v)));
    const flow = new Flow('delegate batches');
    const rows = await flow.slices(range(10), 1).delegate({ url: s.url, batchSize: 4, concurrency: 2 }).collect(local);
    expect(rows).toEqual(range(10).map((v) => [v, v * v]));
    expect(s.bodies).toEqual(expect.arrayContaining([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]));
    expect(s.requests).toBe(3);
    const short = await service((vs, _n, res) => json(res, vs.slice(1)));
    const err = await flow.slices([1, 2], 1).delegate({ url: short.url, batchSize: 2 }).collect(local).catch((e) => e);
    expect(err.message).toBe(
      `step "delegate#4": POST ${short.url} answered a batch of 2 values with an array of 1: with batchSize > 1 the service must answer a JSON array of one result per value, in order; status: 200\n  rows (a batch of 2): [[1],[2]]`,
    );
    await flow.close();
  });

  test('header values reach the service but never plans or errors', async () => {
    const secret = 'Bearer t0p-s3cret-token';
    // A careless service echoes the request's headers in its error body.
    const s = await service((v, _n, res, req) => (v === 2 ? json(res, { saw: req.headers.authorization }, 401) : json(res, v)));
    const flow = new Flow('delegate headers');
    const ds = flow.slices([1, 2], 1).delegate({ url: s.url, headers: { Authorization: secret, 'X-Api-Key': 'k3y-value' } });
    let plan = '';
    const planOutput = new Writable({
      write(chunk, _enc, cb) {
        plan += chunk.toString();
        cb();
      },
    });
    await expect(ds.collect({ plan: true, planOutput, executors: 2 })).rejects.toThrow('planner mode');
    expect(plan).toContain('step: Delegate');
    expect(plan).not.toContain('t0p-s3cret');
    expect(plan).not.toContain('k3y-value');
    const err = await ds.collect(local).catch((e) => e);
    expect(err.message).toBe(`step "delegate#2": POST ${s.url} answered 401: {"saw":"<redacted>"}; status: 401\n  row: [2]`);
    expect(String(err.stack)).not.toContain('t0p-s3cret');
    expect(s.headers[0].authorization).toBe(secret);
    expect(s.headers[0]['x-api-key']).toBe('k3y-value');
    await flow.close();
  });

  test('bad options: a GleamError at definition time naming the step', () => {
    const flow = new Flow('delegate options');
    const ds = flow.slices([1], 1);
    expect(() => ds.delegate('ftp://x')).toThrow('step "delegate#2": delegate url must be an http:// or https:// URL, got "ftp://x"');
    expect(() => ds.delegate({ url: 'http://x', concurrency: 0 })).toThrow("step \"delegate#2\": delegate's concurrency must be a positive integer, got 0");
    expect(() => ds.delegate({ url: 'http://x', onError: 'skip' as 'emit' })).toThrow(`step "delegate#2": delegate onError must be 'fail' or 'emit', got "skip"`);
    expect(() => ds.delegate({ url: 'http://x', method: 'GET' })).toThrow('step "delegate#2": delegate method must be one of POST, PUT, PATCH, DELETE (the value travels as the body), got "GET"');
    expect(() => ds.delegate({ url: 'http://x', retry: 2 } as never)).toThrow('step "delegate#2": delegate has no option "retry"');
    expect(() => ds.delegate({ url: 'http://x', headers: { Authorization: 7 as unknown as string } })).toThrow('step "delegate#2": delegate header "Authorization" must have a string value, got number');
    expect(() => ds.delegate('http://me:pw@x/')).toThrow('step "delegate#2": delegate url must not carry user:password (pass credentials in headers, whose values are never printed)');
    expect(() => ds.delegate({ url: 'http://x', batchSize: 1.5 })).toThrow("delegate's batchSize must be a positive integer, got 1.5");
    expect(() => ds.delegate({ url: 'http://x', retries: -1 })).toThrow("delegate's retries must be a non-negative integer, got -1");
  });
});

describe('delegate on a DStream', () => {
  test('every batch is delegated', async () => {
    const s = await score();
    const c = await collectBatches({}, (ssc) => ({ out: ssc.queueStream([[1, 2], [3], [4, 5, 6]]).delegate({ url: s.url, concurrency: 2 }) }), 3);
    expect(rowsOf(c, 'out')).toEqual([
      [[1, { score: 10 }], [2, { score: 20 }]],
      [[3, { score: 30 }]],
      [[4, { score: 40 }], [5, { score: 50 }], [6, { score: 60 }]],
    ]);
  });

  test('bad options fail when the stream is defined', () => {
    const flow = new Flow('delegate stream options');
    const ssc = flow.streaming({ batchMs: 100, executors: 1 });
    expect(() => ssc.queueStream([[1]]).delegate({ url: 'http://x', timeoutMs: 0 })).toThrow("step \"delegate\": delegate's timeoutMs must be a positive integer, got 0");
  });
});

describe('delegate on a master + 2 agents', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ agents: 2 });
  }, 60000);
  afterAll(async () => {
    await cluster?.stop();
  }, 30000);

  test('the agents call the service: exact rows, retries and the concurrency limit hold; the status page and logs never show header values', async () => {
    const s = await service((v, n, res) => (v % 7 === 0 && n === 1 ? json(res, 'later', 503, { 'retry-after': '0' }) : setTimeout(() => json(res, { score: v * 10 }), 10)));
    const flow = new Flow('delegate cluster');
    const rows = await flow.slices(range(60), 4).delegate({ url: s.url, concurrency: 4, headers: { authorization: 'Bearer c1uster' } }).collect({ master: cluster.master, executors: 2 });
    expect(byFirst(rows)).toEqual(range(60).map((v) => [v, { score: v * 10 }]));
    expect(s.requests).toBe(60 + 8);
    expect(s.maxInFlight).toBeLessThanOrEqual(4 * 2);
    expect(s.headers.every((h) => h.authorization === 'Bearer c1uster')).toBe(true);
    // Neither the master's status page (its jobs included) nor the cluster's logs show the value.
    const status = await httpRequest(`http://${cluster.http}/status.json`);
    const jobs: { id: string }[] = JSON.parse(status.body).jobs;
    expect(jobs.length).toBeGreaterThan(0);
    const pages = [status.body, (await httpRequest(`http://${cluster.http}/`)).body];
    for (const j of jobs) pages.push((await httpRequest(`http://${cluster.http}/jobs/${encodeURIComponent(j.id)}`)).body);
    expect(pages.join('\n')).toContain('delegate cluster');
    for (const text of [...pages, cluster.logs()]) expect(text).not.toContain('c1uster');
    await flow.close();
  });

  test('a DStream delegates every batch from the agents, retries included', async () => {
    // Value 4 is refused once with 503 (retried); the service records every request it answers.
    const s = await service((v, n, res) => (v === 4 && n === 1 ? json(res, 'later', 503, { 'retry-after': '0' }) : json(res, { score: v * 10 })));
    const c = await collectBatches({ master: cluster.master, executors: 2 }, (ssc) => ({ out: ssc.queueStream([[1, 2], [3], [4, 5, 6]]).delegate({ url: s.url, concurrency: 2 }) }), 3, 60000);
    expect(rowsOf(c, 'out').map((b) => byFirst(b))).toEqual([
      [[1, { score: 10 }], [2, { score: 20 }]],
      [[3, { score: 30 }]],
      [[4, { score: 40 }], [5, { score: 50 }], [6, { score: 60 }]],
    ]);
    expect(s.requests).toBe(6 + 1);
  });
});
