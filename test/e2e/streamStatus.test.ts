// Running streams on a real `gleam master` process: a driver's StreamReporter reports them, and
// ClusterStatus, status.json, `gleam status` and `gleam status --json` show their figures; a
// stream whose reports stop is lost after the master's --stream-timeout; the secret is enforced.
import { callMetadata, createMasterClient, grpc, unary, type ClusterStatusResponse__Output, type MasterClient, type StreamStatus__Output } from '@gleam/proto';
import { StreamReporter, type StreamReport, type StreamReporterLogLevel } from '@gleam/driver';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { httpRequest } from '../helpers/httpRequest';
import { waitFor } from '../helpers/processes';
import { gleam } from '../helpers/runNode';

jest.setTimeout(60000);

const SECRET = 'stream-secret';
/** The master's --stream-timeout: short, so that a silent stream is lost within the test. */
const STREAM_TIMEOUT_MS = 400;
/** 2024-05-01 12:00:03 UTC: a fixed batch time, so the text output is exact. */
const BATCH_TIME_MS = Date.UTC(2024, 4, 1, 12, 0, 3);

let cluster: TestCluster;
let client: MasterClient;
const reporters: StreamReporter[] = [];

beforeAll(async () => {
  cluster = await startCluster({ agents: 0, secret: SECRET, streamTimeoutMs: STREAM_TIMEOUT_MS });
  client = createMasterClient(cluster.master);
}, 60000);

afterEach(async () => {
  await Promise.all(reporters.splice(0).map((r) => r.close()));
});

afterAll(async () => {
  client?.close();
  await cluster?.stop();
}, 30000);

function reporter(opts: { secret?: string; log?: (level: StreamReporterLogLevel, message: string) => void } = { secret: SECRET }): StreamReporter {
  const r = new StreamReporter({ master: cluster.master, ...opts });
  reporters.push(r);
  return r;
}

function figures(streamId: string, batches: number, extra: Partial<StreamReport> = {}): StreamReport {
  return {
    streamId,
    name: streamId,
    driver: 'test:1',
    batchMs: 1000,
    state: 'running',
    startedMs: 1000,
    batches,
    recordsTotal: batches * 10,
    bufferedRecords: 3,
    lastBatch: { timeMs: BATCH_TIME_MS, records: 10, schedulingDelayMs: 2, processingMs: 40, totalDelayMs: 42 },
    ...extra,
  };
}

function clusterStatus(): Promise<ClusterStatusResponse__Output> {
  return unary(client.ClusterStatus.bind(client), {}, callMetadata(SECRET), 5000);
}

async function streamOf(id: string): Promise<StreamStatus__Output | undefined> {
  return (await clusterStatus()).streams.find((s) => s.report?.streamId === id);
}

test('a reported stream shows with its figures in ClusterStatus, status.json and gleam status', async () => {
  const r = reporter();
  // A tight loop of reports coalesces on the way; the master ends with the last one.
  for (let i = 0; i <= 99; i++) r.report(figures('clicks', i));
  let shown: StreamStatus__Output | undefined;
  await waitFor(async () => (shown = await streamOf('clicks'))?.report?.batches === 99, 'the last report of clicks', 5000);
  // A running stream goes on reporting (as its batches complete), so a slow machine never sees it lost here.
  const beat = setInterval(() => r.report(figures('clicks', 99)), 200);
  try {
    await showsEverywhere(shown!);
  } finally {
    clearInterval(beat);
  }
});

async function showsEverywhere(shown: StreamStatus__Output): Promise<void> {
  expect(shown).toEqual({
    report: {
      streamId: 'clicks',
      name: 'clicks',
      driver: 'test:1',
      batchMs: 1000,
      state: 'running',
      startedMs: 1000,
      batches: 99,
      recordsTotal: 990,
      bufferedRecords: 3,
      lastBatch: { timeMs: BATCH_TIME_MS, records: 10, schedulingDelayMs: 2, processingMs: 40, totalDelayMs: 42 },
      error: '',
    },
    lastReportMs: expect.any(Number),
    state: 'running',
  });

  const page = await httpRequest(`http://${cluster.http}/status.json`, { headers: { 'x-gleam-secret': SECRET } });
  expect(page.status).toBe(200);
  const json = JSON.parse(page.body) as { streams: unknown[] };
  const anyTime = { ...shown, lastReportMs: expect.any(Number) };
  expect(json.streams).toEqual([anyTime]);

  const html = await httpRequest(`http://${cluster.http}/`, { headers: { 'x-gleam-secret': SECRET } });
  expect(html.body).toContain('<h2>Streams (1)</h2>');
  expect(html.body).toContain('<th>scheduling delay</th>');

  const text = await gleam(['status', '--master', cluster.master], { env: { GLEAM_SECRET: SECRET }, timeoutMs: 15000 });
  expect(text.stderr).toBe('');
  expect(text.code).toBe(0);
  expect(text.stdout.split('\n').slice(-4)).toEqual([
    '',
    'STREAM  STATE    INTERVAL  BATCHES  LAST BATCH            RECORDS  SCHEDULING DELAY  PROCESSING  BUFFERED  DRIVER',
    'clicks  running  1.0 s     99       2024-05-01 12:00:03Z  10       2 ms              40 ms       3         test:1',
    '',
  ]);

  const raw = await gleam(['status', '--master', cluster.master, '--json'], { env: { GLEAM_SECRET: SECRET }, timeoutMs: 15000 });
  expect(raw.code).toBe(0);
  expect(JSON.parse(raw.stdout).streams).toEqual([anyTime]);
}

test('a running stream whose reports stop is lost after the bound; a stopped one says so', async () => {
  const r = reporter();
  // 5 batch intervals (250 ms) are less than the master's bound: the bound counts.
  r.report(figures('quiet', 4, { batchMs: 50 }));
  r.report(figures('done', 7, { state: 'stopped' }));
  let quiet: StreamStatus__Output | undefined;
  await waitFor(async () => (quiet = await streamOf('quiet')) !== undefined, 'the quiet stream', 5000);
  expect(quiet!.state).toBe('running');
  await waitFor(async () => (quiet = await streamOf('quiet'))?.state === 'lost', 'the quiet stream to be lost', 5000);
  const lost = quiet!;
  expect(lost.report?.state).toBe('running');
  expect(Date.now() - lost.lastReportMs).toBeGreaterThanOrEqual(STREAM_TIMEOUT_MS);
  expect((await streamOf('done'))?.state).toBe('stopped');

  const text = await gleam(['status', '--master', cluster.master], { env: { GLEAM_SECRET: SECRET }, timeoutMs: 15000 });
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/^quiet +lost +50 ms +4 /m);
  expect(text.stdout).toMatch(/^done +stopped +1\.0 s +7 /m);
  expect(text.stdout).toMatch(/^quiet \(quiet\) lost: no report for \d+s \(its driver stopped reporting\)$/m);
  // The master logs it once, at its next sweep (a second apart at most).
  await waitFor(() => cluster.logs().includes('stream state: lost (its reports stopped)'), 'the master to log the loss', 5000);
  expect(cluster.logs().split('stream state: lost').length - 1).toBe(1);

  // A report brings a lost stream back.
  r.report(figures('quiet', 5, { batchMs: 50 }));
  await waitFor(async () => (await streamOf('quiet'))?.report?.batches === 5, 'the quiet stream to report again', 5000);
});

test('ReportStream needs the secret: a reporter without it is refused, and report() does not throw', async () => {
  const lines: Array<[StreamReporterLogLevel, string]> = [];
  const intruder = reporter({ log: (level, message) => lines.push([level, message]) });
  expect(() => intruder.report(figures('intruder', 1))).not.toThrow();
  await intruder.close();
  expect(lines).toEqual([['warn', `the master at ${cluster.master} did not take a stream report: refused: missing or wrong cluster secret (set GLEAM_SECRET or pass --secret-file FILE)`]]);
  expect(await streamOf('intruder')).toBeUndefined();

  await expect(unary(client.ReportStream.bind(client), { streamId: 'raw', state: 'running' }, callMetadata('wrong'), 5000)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  expect(await streamOf('raw')).toBeUndefined();
});
