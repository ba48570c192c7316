// StreamReporter against a real gRPC server in this process that plays the master's ReportStream
// and records every call: coalescing, the secret, an unreachable or hung master, close().
import { bindServer, grpc, guardHandlers, masterServiceDefinition, newServer, type StreamReport__Output } from '@gleam/proto';
import { StreamReporter, type StreamReport, type StreamReporterLogLevel } from '../src/remote/streamReporter';

jest.setTimeout(15000);

interface FakeMaster {
  address: string;
  calls: StreamReport__Output[];
  stop(): void;
}

/** A Master service whose ReportStream records the report and answers after `delayMs` (never, for -1). */
async function fakeMaster(opts: { delayMs?: number; secret?: string } = {}): Promise<FakeMaster> {
  const calls: StreamReport__Output[] = [];
  const server = newServer();
  const ReportStream: grpc.handleUnaryCall<StreamReport__Output, object> = (call, callback) => {
    calls.push(call.request);
    if (opts.delayMs === -1) return;
    setTimeout(() => callback(null, {}), opts.delayMs ?? 0);
  };
  server.addService(masterServiceDefinition(), guardHandlers({ ReportStream }, opts.secret));
  const port = await bindServer(server, '127.0.0.1', 0);
  return { address: `127.0.0.1:${port}`, calls, stop: () => server.forceShutdown() };
}

function figures(batches: number, extra: Partial<StreamReport> = {}): StreamReport {
  return {
    streamId: 's1',
    name: 'clicks',
    driver: 'test:1',
    batchMs: 500,
    state: 'running',
    startedMs: 1000,
    batches,
    recordsTotal: batches * 10,
    bufferedRecords: 3,
    lastBatch: batches ? { timeMs: 1000 + batches * 500, records: 10, schedulingDelayMs: 2, processingMs: 40, totalDelayMs: 42 } : undefined,
    ...extra,
  };
}

function recordingLog(): { lines: Array<[StreamReporterLogLevel, string]>; log: (level: StreamReporterLogLevel, message: string) => void } {
  const lines: Array<[StreamReporterLogLevel, string]> = [];
  return { lines, log: (level, message) => lines.push([level, message]) };
}

const masters: FakeMaster[] = [];
afterEach(() => {
  for (const m of masters.splice(0)) m.stop();
});

async function start(opts: { delayMs?: number; secret?: string } = {}): Promise<FakeMaster> {
  const m = await fakeMaster(opts);
  masters.push(m);
  return m;
}

test('100 reports in a tight loop make a few calls, and the master ends with the last one', async () => {
  const master = await start({ delayMs: 20 });
  const reporter = new StreamReporter({ master: master.address });
  for (let i = 0; i < 100; i++) reporter.report(figures(i));
  await reporter.close();
  // One call went out at once; the 99 made while it was in flight coalesced into one more.
  expect(master.calls.length).toBeLessThanOrEqual(3);
  expect(master.calls.map((c) => c.batches)).toEqual([0, 99]);
  // On the wire: lastBatch null until a batch completed, error '' when there is none.
  expect(master.calls[1]).toEqual({ ...figures(99), error: '' });
  expect(master.calls[0].lastBatch).toBeNull();
});

test('reports of different streams coalesce each to its own newest, one call at a time', async () => {
  const master = await start({ delayMs: 20 });
  const reporter = new StreamReporter({ master: master.address });
  for (let i = 1; i <= 10; i++) {
    reporter.report(figures(i, { streamId: 'a', name: 'a' }));
    reporter.report(figures(i * 100, { streamId: 'b', name: 'b' }));
  }
  await reporter.close();
  const last = (id: string) => master.calls.filter((c) => c.streamId === id).pop()?.batches;
  expect(last('a')).toBe(10);
  expect(last('b')).toBe(1000);
  expect(master.calls.length).toBeLessThanOrEqual(4);
});

test('close() sends the report still pending, and a report after close() is dropped without a throw', async () => {
  const master = await start({ delayMs: 150 });
  const reporter = new StreamReporter({ master: master.address });
  reporter.report(figures(1));
  reporter.report(figures(2, { state: 'stopped' }));
  await reporter.close();
  expect(master.calls.map((c) => [c.batches, c.state])).toEqual([
    [1, 'running'],
    [2, 'stopped'],
  ]);
  expect(() => reporter.report(figures(3))).not.toThrow();
  await new Promise((r) => setTimeout(r, 50));
  expect(master.calls).toHaveLength(2);
});

test('a master with a secret refuses a reporter without it: report() does not throw, the refusal is logged once', async () => {
  const master = await start({ secret: 's3cret' });
  const { lines, log } = recordingLog();
  const without = new StreamReporter({ master: master.address, log });
  for (let i = 0; i < 5; i++) {
    expect(() => without.report(figures(i))).not.toThrow();
    await new Promise((r) => setTimeout(r, 20));
  }
  await without.close();
  expect(lines).toEqual([['warn', `the master at ${master.address} did not take a stream report: refused: missing or wrong cluster secret (set GLEAM_SECRET or pass --secret-file FILE)`]]);

  const withSecret = new StreamReporter({ master: master.address, secret: 's3cret', log });
  withSecret.report(figures(7));
  await withSecret.close();
  expect(master.calls.map((c) => c.batches)).toEqual([7]);
  expect(lines).toHaveLength(1);
});

test('an unreachable master: report() never throws, one debug line, close() is quick', async () => {
  const gone = await start();
  const address = gone.address;
  gone.stop();
  const { lines, log } = recordingLog();
  const reporter = new StreamReporter({ master: address, log });
  for (let i = 0; i < 20; i++) reporter.report(figures(i));
  await new Promise((r) => setTimeout(r, 300));
  for (let i = 20; i < 40; i++) reporter.report(figures(i));
  const t0 = Date.now();
  await reporter.close();
  expect(Date.now() - t0).toBeLessThan(3000);
  expect(lines.length).toBeGreaterThanOrEqual(1);
  expect(new Set(lines.map((l) => l[1])).size).toBe(lines.length);
  expect(lines.every(([level]) => level === 'debug')).toBe(true);
  expect(lines[0][1]).toMatch(new RegExp(`^the master at ${address.replace(/\./g, '\\.')} did not take a stream report: .*ECONNREFUSED`));
});

test('a master that never answers holds close() for 2 s at most', async () => {
  const master = await start({ delayMs: -1 });
  const reporter = new StreamReporter({ master: master.address, log: () => undefined });
  reporter.report(figures(1));
  reporter.report(figures(2));
  const t0 = Date.now();
  await reporter.close();
  const took = Date.now() - t0;
  expect(took).toBeGreaterThanOrEqual(1900);
  expect(took).toBeLessThan(3500);
  expect(master.calls.map((c) => c.batches)).toEqual([1]);
});
