// Streams on the master over real gRPC and HTTP: what ReportStream accepts, the status page's
// Streams table (escaped, a note for a failed or lost stream), and the bound that makes a silent
// stream lost.
import { callMetadata, grpc, unary, type MasterClient, type StreamReport } from '@gleam/proto';
import { startMaster, type MasterHandle } from '../src/startMaster';
import { formatMillis } from '../src/textFormat';
import { clusterStatus, masterClient, quiet, waitFor } from './helpers';

jest.setTimeout(15000);

let master: MasterHandle;
let client: MasterClient;

beforeAll(async () => {
  master = await startMaster({ port: 0, httpPort: 0, streamLostAfterMs: 200, logger: quiet });
  client = masterClient(master.address);
});

afterAll(async () => {
  client?.close();
  await master?.stop();
});

const reportStream = (r: StreamReport) => unary(client.ReportStream.bind(client), r, callMetadata(), 3000);
const page = async () => (await fetch(`http://${master.httpAddress}/`)).text();

test('ReportStream wants a stream id and a state it knows', async () => {
  await expect(reportStream({ name: 'no id' })).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'ReportStream needs a stream_id' });
  await expect(reportStream({ streamId: 's', state: 'lost' })).rejects.toMatchObject({
    code: grpc.status.INVALID_ARGUMENT,
    details: 'ReportStream: state must be one of running, stopped, failed, got "lost"',
  });
  expect((await clusterStatus(client)).streams).toEqual([]);
  expect(await page()).toContain('<h2>Streams (0)</h2>\n<p>none</p>');
});

test('the status page shows every stream in the Streams table, escaped, with a note for a failed one', async () => {
  await reportStream({
    streamId: 'st-1',
    name: '<b>clicks</b>',
    driver: 'box:42',
    batchMs: 500,
    state: 'running',
    startedMs: 1,
    batches: 12,
    recordsTotal: 1200,
    bufferedRecords: 5,
    lastBatch: { timeMs: Date.UTC(2024, 4, 1, 12, 0, 3), records: 100, schedulingDelayMs: 3, processingMs: 1250, totalDelayMs: 1253 },
  });
  await reportStream({ streamId: 'st-2', name: 'orders', driver: 'box:43', batchMs: 60000, state: 'failed', startedMs: 2, error: 'batch 3 failed: boom\n  at stack' });
  const html = await page();
  expect(html).toContain('<h2>Streams (2)</h2>');
  expect(html).toContain('<tr><th>stream</th><th>state</th><th>interval</th><th>batches</th><th>last batch</th><th>records</th><th>scheduling delay</th><th>processing</th><th>buffered</th><th>driver</th></tr>');
  expect(html).toContain(
    '<tr><td><span title="st-1">&lt;b&gt;clicks&lt;/b&gt;</span></td><td><span class="running">running</span></td><td>500 ms</td><td>12</td><td>2024-05-01 12:00:03Z</td><td>100</td><td>3 ms</td><td>1.3 s</td><td>5</td><td>box:42</td></tr>',
  );
  // No batch completed yet: no figures of a last batch.
  expect(html).toContain('<tr><td><span title="st-2">orders</span></td><td><span class="failed">failed</span></td><td>1m0s</td><td>0</td><td>-</td><td>-</td><td>-</td><td>-</td><td>0</td><td>box:43</td></tr>');
  expect(html).toContain('<li>orders <small>st-2</small>: <span class="failed">batch 3 failed: boom</span></li>');
  expect(html).not.toContain('<b>clicks</b>');
});

test('a running stream silent for the bound (here 200 ms, more than 5 batches of 20 ms) is lost', async () => {
  await reportStream({ streamId: 'quiet', name: 'quiet', batchMs: 20, state: 'running' });
  const t0 = Date.now();
  const lost = await waitFor(async () => (await clusterStatus(client)).streams.find((s) => s.report?.streamId === 'quiet' && s.state === 'lost'), 3000, 'the stream to be lost');
  expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  expect(lost.report?.state).toBe('running');
  expect(await page()).toMatch(/<li>quiet <small>quiet<\/small>: <span class="lost">no report for \ds \(its driver stopped reporting\)<\/span><\/li>/);
});

test('spans are shown with the precision micro-batches need', () => {
  expect([0, 7, 999, 1000, 1250, 59949, 60000, 3_600_000].map(formatMillis)).toEqual(['0 ms', '7 ms', '999 ms', '1.0 s', '1.3 s', '59.9 s', '1m0s', '1h0m']);
});
