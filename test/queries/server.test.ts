// The query server's HTTP API on a real `gleam serve` process over a real folder: add (201, or 400
// with the position), list, read, server-sent events, metrics, remove; 20 queries added while
// files arrive, one removed while the others keep their state; errors as JSON with status codes.
import { waitFor } from '../helpers/processes';
import { addQuery, api, dropFile, openEvents, perTestServe, result, waitForMetrics, type ServeProcess } from './serverProcess';
import { events, lines, queryCase, type Ev } from './serverData';

jest.setTimeout(120000);

const t = perTestServe('serve');
let serve: ServeProcess;

test('POST, GET, events, metrics and DELETE on /queries; bad input answered with a JSON error and its status', async () => {
  serve = await t.start(['--watch', t.area.watch, '--format', 'jsonl', '--batch-ms', '200', '--sse-heartbeat', '300']);
  const { base } = serve;
  const id = await addQuery(base, "SELECT kind, count(*) AS n, sum(v) AS total WHERE user.lang != 'fr' GROUP BY kind ORDER BY kind");
  const viaJson = await api(base, 'POST', '/queries', { body: JSON.stringify({ query: 'SELECT user.lang, kind LIMIT 2' }), headers: { 'content-type': 'application/json' } });
  expect(viaJson.status).toBe(201);
  expect(viaJson.headers.location).toBe(`/queries/${viaJson.body.id}`);

  const bad = await api(base, 'POST', '/queries', { body: 'SELECT kind, count(*) FROM stream WHERE kind = GROUP BY kind' });
  expect(bad.status).toBe(400);
  expect(typeof bad.body.error).toBe('string');
  expect(bad.body.position).toBeGreaterThanOrEqual(40);
  expect(bad.body.position).toBeLessThanOrEqual(50);
  const viaForm = await api(base, 'POST', '/queries', { body: new URLSearchParams({ query: 'SELECT v LIMIT 1' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(viaForm.status).toBe(201);
  expect((await api(base, 'DELETE', `/queries/${viaForm.body.id}`)).status).toBe(200);
  const notJson = await api(base, 'POST', '/queries', { body: '{"query": ', headers: { 'content-type': 'application/json' } });
  expect(notJson.status).toBe(400);
  expect(notJson.body.error).toMatch(/not valid JSON/);
  const tooLarge = await api(base, 'POST', '/queries', { body: `SELECT kind WHERE kind = '${'x'.repeat(70 * 1024)}'` });
  expect(tooLarge.status).toBe(413);

  const list = await api(base, 'GET', '/queries');
  expect(list.status).toBe(200);
  expect(list.body).toEqual([
    { id, text: "SELECT kind, count(*) AS n, sum(v) AS total WHERE user.lang != 'fr' GROUP BY kind ORDER BY kind" },
    { id: viaJson.body.id, text: 'SELECT user.lang, kind LIMIT 2' },
  ]);
  const before = await result(base, id);
  expect(before).toMatchObject({ id, columns: ['kind', 'n', 'total'], rows: [], batches: 0 });
  expect(Number.isNaN(Date.parse(before.updatedAt))).toBe(false);

  const sse = await openEvents(base, `/queries/${encodeURIComponent(id)}/events`);
  try {
    const evs = events(1, 30);
    dropFile(t.area.watch, 'a.jsonl', lines(evs));
    const kept = evs.filter((e) => e.user.lang !== 'fr');
    const expected = ['buy', 'click', 'view'].map((k) => [k, kept.filter((e) => e.kind === k).length, kept.filter((e) => e.kind === k).reduce((s, e) => s + e.v, 0)]).filter((r) => r[1] !== 0);
    await waitFor(() => sse.events.some((e) => e.data.batches >= 1 && e.data.rows.length > 0), 'an update event after the file', 20000);
    // The first event is the state at connection; then one per update, each a whole QueryResult.
    expect(sse.events[0].data).toMatchObject({ id, rows: [] });
    const last = sse.events[sse.events.length - 1].data;
    expect(last).toMatchObject({ id, columns: ['kind', 'n', 'total'], rows: expected });
    expect(await result(base, id)).toMatchObject({ rows: expected, batches: last.batches });
    // Idle streams get heartbeat comments (--sse-heartbeat 300).
    await waitFor(() => sse.comments >= 2, 'heartbeat comments', 5000);

    const m = await waitForMetrics(base, (x) => x.files === 1, 'one file counted');
    expect(m).toMatchObject({ files: 1, rowsParsed: 30, queries: 2 });
    for (const k of ['batches', 'jobs', 'predicateEvaluations']) expect(typeof m[k]).toBe('number');

    // Removing a query ends its event stream with a `removed` event.
    expect((await api(base, 'DELETE', `/queries/${id}`)).body).toEqual({ id, removed: true });
    await waitFor(() => sse.ended, 'the removed query\'s event stream to end', 5000);
    expect(sse.events[sse.events.length - 1]).toEqual({ event: 'removed', data: { id } });
  } finally {
    sse.close();
  }
  expect((await api(base, 'GET', `/queries/${id}`)).status).toBe(404);
  expect((await api(base, 'DELETE', `/queries/${id}`)).status).toBe(404);
  expect((await api(base, 'GET', `/queries/${id}/events`)).status).toBe(404);
  expect((await api(base, 'GET', '/queries')).body).toEqual([{ id: viaJson.body.id, text: 'SELECT user.lang, kind LIMIT 2' }]);
  const put = await api(base, 'PUT', '/queries');
  expect(put.status).toBe(405);
  expect(put.body.error).toMatch(/PUT is not allowed/);
  expect((await api(base, 'GET', '/nothing')).status).toBe(404);
  expect(await serve.stop()).toBe(0);
});

test('20 queries added while files arrive: each answers over the files that came after it; removing one keeps the others\' state', async () => {
  serve = await t.start(['--watch', t.area.watch, '--format', 'jsonl', '--batch-ms', '200']);
  const { base } = serve;
  const cases = Array.from({ length: 20 }, (_, i) => queryCase(i));
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push(await addQuery(base, cases[i].text));
  const files: Ev[][] = [events(1, 200), events(2, 150), events(3, 120)];
  dropFile(t.area.watch, 'f1.jsonl', lines(files[0]));
  await waitForMetrics(base, (m) => m.files === 1, 'the first file');
  // Added after the first file was read: these see the second file on.
  for (let i = 10; i < 20; i++) ids.push(await addQuery(base, cases[i].text));
  dropFile(t.area.watch, 'f2.jsonl', lines(files[1]));
  await waitForMetrics(base, (m) => m.files === 2, 'the second file');

  const seen = (i: number, upTo: number) => (i < 10 ? files.slice(0, upTo) : files.slice(1, upTo)).flat();
  const check = async (upTo: number, skip: Set<number>) => {
    for (let i = 0; i < 20; i++) {
      if (skip.has(i)) continue;
      const want = cases[i].expected(seen(i, upTo));
      let got: unknown[][] = [];
      await waitFor(
        async () => {
          got = (await result(base, ids[i])).rows;
          return JSON.stringify(got) === JSON.stringify(want);
        },
        `query ${i} (${cases[i].text}) over files 1..${upTo}`,
        10000,
        100,
      ).catch((e: Error) => {
        throw new Error(`${e.message}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      });
    }
  };
  await check(2, new Set());
  const m2 = (await api(base, 'GET', '/metrics')).body;
  // One scan for all: the rows of two files, not 20 times (or 10 + 20 times) that.
  expect(m2).toMatchObject({ files: 2, rowsParsed: 350, queries: 20 });

  expect((await api(base, 'DELETE', `/queries/${ids[0]}`)).status).toBe(200);
  dropFile(t.area.watch, 'f3.jsonl', lines(files[2]));
  await waitForMetrics(base, (m) => m.files === 3, 'the third file');
  await check(3, new Set([0]));
  const listed = (await api(base, 'GET', '/queries')).body as { id: string }[];
  expect(listed.map((q) => q.id)).toEqual(ids.slice(1));
  expect((await api(base, 'GET', '/metrics')).body).toMatchObject({ files: 3, rowsParsed: 470, queries: 19 });
  expect(await serve.stop()).toBe(0);
});

test('restarted with --checkpoint, the server keeps its queries and their state and does not read a processed file again', async () => {
  const args = ['--watch', t.area.watch, '--format', 'jsonl', '--batch-ms', '200', '--checkpoint', `${t.area.root}/ckpt`];
  serve = await t.start(args);
  const text = 'SELECT kind, count(*) AS n, sum(v) AS s GROUP BY kind ORDER BY kind';
  const id = await addQuery(serve.base, text);
  const one = events(1, 60);
  dropFile(t.area.watch, 'one.jsonl', lines(one));
  await waitForMetrics(serve.base, (m) => m.files === 1, 'the first file');
  const kinds = (evs: Ev[]) => ['buy', 'click', 'view'].map((k) => [k, evs.filter((e) => e.kind === k).length, evs.filter((e) => e.kind === k).reduce((s, e) => s + e.v, 0)]);
  await waitFor(async () => JSON.stringify((await result(serve.base, id)).rows) === JSON.stringify(kinds(one)), 'the first result', 10000);
  const batches = (await result(serve.base, id)).batches;
  // Ctrl-C: a clean stop that writes the checkpoint.
  expect(await serve.stop('SIGINT')).toBe(0);

  serve = await t.start(args);
  expect((await api(serve.base, 'GET', '/queries')).body).toEqual([{ id, text }]);
  const restored = await result(serve.base, id);
  expect(restored.rows).toEqual(kinds(one));
  expect(restored.batches).toBeGreaterThanOrEqual(batches);
  // A few batch intervals: one.jsonl is still in the folder and must not be read again.
  await new Promise((r) => setTimeout(r, 1000));
  expect((await api(serve.base, 'GET', '/metrics')).body).toMatchObject({ files: 1, rowsParsed: 60 });
  const two = events(2, 40);
  dropFile(t.area.watch, 'two.jsonl', lines(two));
  await waitForMetrics(serve.base, (m) => m.files === 2, 'the second file');
  await waitFor(async () => JSON.stringify((await result(serve.base, id)).rows) === JSON.stringify(kinds([...one, ...two])), 'the state carried over plus the new file', 10000);
  expect((await api(serve.base, 'GET', '/metrics')).body).toMatchObject({ files: 2, rowsParsed: 100 });
  expect(await serve.stop()).toBe(0);
});
