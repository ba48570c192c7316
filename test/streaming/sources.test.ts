// Stream sources with real sockets, real files and receivers; back pressure; stop.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow, type BatchInfo, type Push } from '@gleam/flow-dsl';
import { lineServer, sleep, waitFor } from './helpers';

jest.setTimeout(60000);

test('socketTextStream: every line once, in the batch it arrived in; a dropped connection is made again', async () => {
  const server = await lineServer();
  const flow = new Flow('socket');
  const ssc = flow.streaming({ batchMs: 100, executors: 2 });
  const seen: { timeMs: number; lines: string[] }[] = [];
  ssc.socketTextStream('127.0.0.1', server.port).foreachBatch(async (ds, timeMs) => {
    seen.push({ timeMs, lines: (await ds.collect()).map((r) => r[0] as string) });
  });
  const infos: BatchInfo[] = [];
  ssc.on('batch', (i) => infos.push(i));
  const errors: string[] = [];
  ssc.on('receiverError', (_s, e) => errors.push(e.message));
  try {
    await ssc.start();
    await waitFor(() => server.clients.length === 1, 'the receiver to connect');
    server.send('alpha one\r\nbeta two\n');
    server.send('gam');
    await sleep(30);
    server.send('ma three\n');
    await waitFor(() => seen.flatMap((b) => b.lines).length === 3, 'three lines');
    // The server drops the connection: the receiver connects again within a second or so.
    for (const c of [...server.clients]) c.destroy();
    await waitFor(() => server.clients.length === 0, 'the connection to close');
    await waitFor(() => server.clients.length === 1, 'the receiver to reconnect', 5000);
    server.send('delta four\nlast without newline');
    for (const c of [...server.clients]) c.end();
    await waitFor(() => seen.flatMap((b) => b.lines).length === 5, 'five lines');
    expect(seen.flatMap((b) => b.lines)).toEqual(['alpha one', 'beta two', 'gamma three', 'delta four', 'last without newline']);
    // Batches are contiguous and each line went to exactly one.
    const times = infos.map((i) => i.timeMs);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBe(100);
    expect(infos.reduce((n, i) => n + i.records, 0)).toBe(5);
  } finally {
    await ssc.stop();
    await server.close();
    await flow.close();
  }
  expect(errors.every((m) => m.startsWith(`socketTextStream 127.0.0.1:${server.port}`))).toBe(true);
});

test('back pressure: a slow pipeline holds at most maxBufferedRecords and the socket stops being read; nothing is lost', async () => {
  const server = await lineServer();
  const flow = new Flow('slow');
  const max = 2000;
  const ssc = flow.streaming({ batchMs: 100, executors: 1, maxBufferedRecords: max });
  let total = 0;
  let last = -1;
  let inOrder = true;
  ssc.socketTextStream('127.0.0.1', server.port).foreachBatch(async (ds) => {
    const rows = await ds.collect();
    for (const [l] of rows) {
      const n = Number((l as string).split(' ')[0]);
      if (n !== last + 1) inOrder = false;
      last = n;
      total++;
    }
    // The pipeline is slower than the sender: 150 ms for a full batch (empty ones are quick).
    await sleep((rows.length * 150) / max);
  });
  const records: number[] = [];
  ssc.on('batch', (i) => records.push(i.records));
  // Lines are written in chunks until the sender's own buffer fills (write() returns false): that
  // happens only once the kernel's socket buffers are full, i.e. once the receiver stopped
  // reading. How much the kernel takes first depends on the machine (several MB on loopback).
  const CHUNK = 1000;
  const CAP = 300000;
  const pad = 'x'.repeat(94);
  let written = 0;
  let blocked = false;
  try {
    await ssc.start();
    await waitFor(() => server.clients.length === 1, 'the receiver to connect');
    const sock = server.clients[0];
    while (written < CAP && !blocked) {
      let text = '';
      for (let i = written; i < written + CHUNK; i++) text += `${i} ${pad}\n`;
      written += CHUNK;
      blocked = !sock.write(text);
      // The receiver runs in this process: it reads between chunks, so a receiver that never
      // paused would keep the kernel's buffers empty and every write() would return true.
      await sleep(1);
    }
    await waitFor(() => total === written, `all ${written} lines`, 60000);
  } finally {
    await ssc.stop();
    await server.close();
    await flow.close();
  }
  expect(Math.max(...records)).toBeLessThanOrEqual(max);
  expect(blocked).toBe(true);
  expect(inOrder).toBe(true);
});

test('receiverStream: rows pushed from callbacks, onStop at stop, pushes after it refused', async () => {
  const flow = new Flow('receiver');
  const ssc = flow.streaming({ batchMs: 100, executors: 1 });
  let timer: NodeJS.Timeout | undefined;
  let stopped = 0;
  let pushRef: Push | undefined;
  let n = 0;
  const got: unknown[][] = [];
  ssc
    .receiverStream<[number, string]>({
      onStart(push) {
        pushRef = push;
        timer = setInterval(() => {
          // A row, a value, and several rows at once.
          push([n, 'row']);
          push(`v${n}`);
          push([[n, 'a'], [n, 'b']]);
          n++;
        }, 10);
      },
      onStop() {
        clearInterval(timer);
        stopped++;
      },
    })
    .foreachBatch(async (ds) => {
      got.push(...(await ds.collect()));
    });
  await ssc.start();
  await waitFor(() => got.length >= 40, 'forty rows');
  await ssc.stop({ graceful: true });
  expect(stopped).toBe(1);
  expect(pushRef!.stopped).toBe(true);
  expect(pushRef!('late')).toBe(false);
  // Graceful: every row pushed before the stop was processed.
  expect(got.length).toBe(n * 4);
  expect(got.filter((r) => r.length === 1).map((r) => r[0])).toEqual(Array.from({ length: n }, (_, i) => `v${i}`));
  await flow.close();
});

test('a receiver that honours back pressure waits for room instead of growing the buffer', async () => {
  const flow = new Flow('receiver bp');
  const ssc = flow.streaming({ batchMs: 50, executors: 1, maxBufferedRecords: 100 });
  let produced = 0;
  let maxWaiting = 0;
  let running = true;
  const got: number[] = [];
  ssc
    .receiverStream({
      async onStart(push) {
        void (async () => {
          while (running && produced < 1000) {
            if (!push(produced++)) {
              await push.whenRoom();
            }
          }
        })();
      },
      onStop() {
        running = false;
      },
    })
    .foreachBatch(async (ds) => {
      const rows = await ds.collect();
      maxWaiting = Math.max(maxWaiting, rows.length);
      got.push(...rows.map((r) => r[0] as number));
      await sleep(20);
    });
  await ssc.start();
  await waitFor(() => got.length === 1000, 'a thousand rows', 30000);
  await ssc.stop();
  expect(maxWaiting).toBeLessThanOrEqual(100);
  expect(got).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  await flow.close();
});

test('rows in batches queued behind a slow one count against maxBufferedRecords: the driver holds at most that many', async () => {
  const flow = new Flow('queued bp');
  const max = 300;
  // Each batch takes 4 intervals: without the bound, batches of received rows would pile up.
  const ssc = flow.streaming({ batchMs: 50, executors: 1, maxBufferedRecords: max });
  let pushed = 0;
  let done = 0;
  let maxOutstanding = 0;
  let running = true;
  ssc
    .receiverStream({
      onStart(push) {
        void (async () => {
          while (running) {
            const room = push(pushed++);
            maxOutstanding = Math.max(maxOutstanding, pushed - done);
            if (!room) await push.whenRoom();
            if (pushed % 50 === 0) await new Promise((r) => setImmediate(r));
          }
        })();
      },
      onStop() {
        running = false;
      },
    })
    .foreachBatch(async (ds) => {
      const n = await ds.count();
      if (n > 0) await sleep(200);
      done += n;
    });
  await ssc.start();
  try {
    await waitFor(() => done >= 3 * max, `${3 * max} rows through the output`, 30000);
  } finally {
    await ssc.stop();
    await flow.close();
  }
  // Pushed and not yet through its batch's output: never more than the bound.
  expect(maxOutstanding).toBeLessThanOrEqual(max);
});

test('textFileStream: each new file once, whole; files there at start skipped unless includeExisting; hidden ones never', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-watch-'));
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-stage-'));
  const put = (name: string, text: string) => {
    fs.writeFileSync(path.join(staging, name), text);
    fs.renameSync(path.join(staging, name), path.join(dir, name));
  };
  fs.writeFileSync(path.join(dir, 'old.txt'), 'old line\n');
  const run = async (includeExisting: boolean) => {
    const flow = new Flow('watch');
    const ssc = flow.streaming({ batchMs: 100, executors: 2 });
    const batches: string[][] = [];
    ssc.textFileStream(dir, { includeExisting }).foreachBatch(async (ds) => {
      batches.push((await ds.collect()).map((r) => r[0] as string).sort());
    });
    await ssc.start();
    await sleep(150);
    put('a.txt', 'a1\na2\n');
    fs.writeFileSync(path.join(dir, '.partial.txt'), 'hidden\n');
    fs.writeFileSync(path.join(dir, '_temp'), 'temp\n');
    await waitFor(() => batches.flat().includes('a2'), 'a.txt');
    put('b.txt', 'b1\n');
    put('c.txt', 'c1');
    await waitFor(() => batches.flat().includes('c1'), 'c.txt');
    await sleep(250); // a few more batches: nothing comes twice
    await ssc.stop({ graceful: true });
    await flow.close();
    return batches.flat().sort();
  };
  try {
    expect(await run(false)).toEqual(['a1', 'a2', 'b1', 'c1']);
    for (const f of ['a.txt', 'b.txt', 'c.txt']) fs.rmSync(path.join(dir, f));
    expect(await run(true)).toEqual(['a1', 'a2', 'b1', 'c1', 'old line']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
});

test('textFileStream of a folder that does not exist fails at start, naming it', async () => {
  const flow = new Flow('nofolder');
  const ssc = flow.streaming({ batchMs: 100 });
  ssc.textFileStream('/nonexistent/gleam-folder').print();
  await expect(ssc.start()).rejects.toThrow('textFileStream: the directory /nonexistent/gleam-folder does not exist');
  await flow.close();
});

test('stop without graceful cancels the running batch at once; awaitTerminationOrTimeout says whether it stopped', async () => {
  const flow = new Flow('cancel');
  const ssc = flow.streaming({ batchMs: 100, executors: 1 });
  let started = false;
  ssc.queueStream([[1]]).pipe('sleep 30').foreachBatch(async (ds) => {
    started = true;
    await ds.collect();
  });
  await ssc.start();
  expect(await ssc.awaitTerminationOrTimeout(50)).toBe(false);
  await waitFor(() => started, 'the first batch');
  await sleep(200);
  const t0 = Date.now();
  await ssc.stop();
  expect(Date.now() - t0).toBeLessThan(5000);
  expect(await ssc.awaitTerminationOrTimeout(10)).toBe(true);
  await flow.close();
});
