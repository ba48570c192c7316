// The master's job pages over real HTTP (a master in this process, job reports over real gRPC):
// the DAG and task table from merged reports, the server-sent events of a job page (a change is
// pushed, an unchanged page is not, a finished job ends its stream), and the cancel's checks.
import * as http from 'node:http';
import { callMetadata, createMasterClient, unary, type MasterClient } from '@gleam/proto';
// The master is not a dependency of the repository's root: its built package, by path.
import { startMaster, type MasterHandle } from '../../packages/master';
import { quiet } from '../../packages/master/test/helpers';

jest.setTimeout(30000);

let master: MasterHandle;
let client: MasterClient;
let base: string;

beforeAll(async () => {
  master = await startMaster({ port: 0, httpPort: 0, logger: quiet });
  client = createMasterClient(master.address);
  base = `http://${master.httpAddress}`;
});

afterAll(async () => {
  client?.close();
  await master?.stop();
});

const report = (r: object) => unary(client.ReportJob.bind(client), r, callMetadata(), 5000);

// A join: stages 0 and 1 feed stage 2, which feeds the driver's collect (stage 3).
const stages = [
  { index: 0, name: 'TextFile-Map-ScatterPartitions', inputs: [], tasks: 2, done: 0, running: 2, state: 'running', startedMs: Date.now() },
  { index: 1, name: 'TextFile-<Map>-ScatterPartitions', inputs: [], tasks: 2, done: 0, running: 0, state: 'waiting' },
  { index: 2, name: 'CoGroup-Join', inputs: [0, 1], tasks: 2, done: 0, running: 0, state: 'waiting' },
  { index: 3, name: 'Collect', inputs: [2], tasks: 0, driverSide: true, state: 'waiting' },
];
const task = (name: string, stage: number, partition: number, state: string, attempt = 1, rowsIn = 0) => ({ name, stage, partition, attempt, state, agent: `127.0.0.1:${7000 + partition}`, rowsIn, startedMs: Date.now() });

/** Reads server-sent events from a URL until `until` says stop (or the stream ends). */
function readEvents(url: string, until: (events: { event: string; data: string }[]) => boolean): Promise<{ events: { event: string; data: string }[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const events: { event: string; data: string }[] = [];
    const req = http.get(url, (res) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        buf += d;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? '';
          events.push({ event, data });
          if (until(events)) {
            req.destroy();
            resolve({ events, ended: false });
          }
        }
      });
      res.on('end', () => resolve({ events, ended: true }));
    });
    req.on('error', (e) => (events.length ? undefined : reject(e)));
    req.setTimeout(20000, () => req.destroy(new Error(`no events from ${url} for 20 s`)));
  });
}

test('a job page: a .stage node per stage with edges by dependency, the merged task attempts, escaped', async () => {
  await report({ jobId: 'join-1', name: 'a <join>', state: 'running', tasksTotal: 6, tasksDone: 0, stages, tasks: [task('t0', 0, 0, 'running'), task('t1', 0, 1, 'running')] });
  // Later reports carry only the attempts that changed: the master merges them.
  await report({ jobId: 'join-1', state: 'running', tasksTotal: 6, tasksDone: 1, stages, tasks: [task('t0', 0, 0, 'done', 1, 500), task('t1', 0, 1, 'failed'), task('t1', 0, 1, 'running', 2)] });
  const page = await (await fetch(`${base}/jobs/join-1`)).text();
  expect(page.match(/<g class="stage /g)).toHaveLength(4);
  for (const [from, to] of [[0, 2], [1, 2], [2, 3]]) expect(page).toContain(`data-from="${from}" data-to="${to}"`);
  expect(page.match(/<path class="edge"/g)).toHaveLength(3);
  // Depth layout: stages 0 and 1 in the first column, 2 in the second, 3 in the third.
  const x = (i: number) => Number(new RegExp(`data-stage="${i}" transform="translate\\((\\d+),`).exec(page)![1]);
  expect(x(0)).toBe(x(1));
  expect(x(2)).toBeGreaterThan(x(0));
  expect(x(3)).toBeGreaterThan(x(2));
  expect(page).toContain('TextFile-&lt;Map&gt;-ScatterPartitions');
  expect(page).not.toContain('<Map>');
  expect(page).toContain('a &lt;join&gt;');
  const rows = [...page.matchAll(/<tr class="task (\w+)" data-task="(\w+)" data-attempt="(\d+)">/g)].map((m) => `${m[2]}#${m[3]} ${m[1]}`);
  expect(rows).toEqual(['t0#1 done', 't1#1 failed', 't1#2 running']);
  expect(page).toContain('<form class="cancel" method="post" action="/jobs/join-1/cancel">');
  // The list links to it.
  expect(await (await fetch(`${base}/`)).text()).toContain('<a href="/jobs/join-1">a &lt;join&gt;</a>');
});

test('server-sent events push a changed job page, then end once the job is finished', async () => {
  await report({ jobId: 'live-1', name: 'live', state: 'running', tasksTotal: 2, stages: stages.slice(0, 1), tasks: [task('a', 0, 0, 'running'), task('b', 0, 1, 'running')] });
  const seen = readEvents(`${base}/jobs/live-1/events`, () => false);
  await new Promise((r) => setTimeout(r, 700));
  await report({ jobId: 'live-1', state: 'running', tasksTotal: 2, tasksDone: 1, tasks: [task('a', 0, 0, 'done', 1, 42)] });
  await new Promise((r) => setTimeout(r, 700));
  await report({ jobId: 'live-1', state: 'succeeded', tasksTotal: 2, tasksDone: 2, stages: [{ ...stages[0], done: 2, running: 0, state: 'done' }], tasks: [task('b', 0, 1, 'done', 1, 7)] });
  const { events, ended } = await seen;
  expect(ended).toBe(true);
  const html = events.filter((e) => e.event === 'html').map((e) => JSON.parse(e.data) as string);
  // The first state, the one with `a` done, the finished one: each sent once (unchanged pages are not resent).
  expect(html.length).toBeGreaterThanOrEqual(3);
  expect(html[0]).toContain('<tr class="task running" data-task="a"');
  expect(html.some((h) => h.includes('<tr class="task done" data-task="a"') && h.includes('<tr class="task running" data-task="b"'))).toBe(true);
  expect(html[html.length - 1]).toContain('<span id="job-state" class="succeeded">succeeded</span>');
  expect(html[html.length - 1]).not.toContain('id="cancel"');
  expect(events[events.length - 1].event).toBe('end');
  // A finished job's attempts stay on its page but leave status.json (and ClusterStatus): bounded answers.
  const st = await (await fetch(`${base}/status.json`)).json();
  expect(st.jobs.find((j: { report: { jobId: string } }) => j.report.jobId === 'live-1').report.tasks).toEqual([]);
  expect((await (await fetch(`${base}/jobs/live-1`)).text()).match(/<tr class="task done"/g)).toHaveLength(2);
  // The status page has its own stream.
  const front = await readEvents(`${base}/events`, (es) => es.length >= 1);
  expect(JSON.parse(front.events[0].data)).toContain('<h2>Agents</h2>');
});

test('cancel: only a POST from the UI itself (Origin or Referer of the master); it ends the job like gleam cancel', async () => {
  await report({ jobId: 'victim', name: 'victim', state: 'running', tasksTotal: 1, stages: stages.slice(0, 1) });
  const post = (headers: Record<string, string>) => fetch(`${base}/jobs/victim/cancel`, { method: 'POST', headers, redirect: 'manual' });
  expect((await post({})).status).toBe(403);
  expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
  expect((await post({ referer: 'http://evil.example/jobs/victim' })).status).toBe(403);
  expect((await fetch(`${base}/jobs/victim/cancel`)).status).toBe(405);
  expect((await fetch(`${base}/jobs/nope/cancel`, { method: 'POST', headers: { origin: base }, redirect: 'manual' })).status).toBe(404);
  let st = await (await fetch(`${base}/status.json`)).json();
  expect(st.jobs.find((j: { report: { jobId: string } }) => j.report.jobId === 'victim').report.state).toBe('running');
  const ok = await post({ origin: base });
  expect(ok.status).toBe(303);
  expect(ok.headers.get('location')).toBe('/jobs/victim');
  st = await (await fetch(`${base}/status.json`)).json();
  expect(st.jobs.find((j: { report: { jobId: string } }) => j.report.jobId === 'victim').report).toMatchObject({ state: 'cancelled', error: 'cancelled: from the web UI' });
  // A late report from the driver does not bring it back, nor its running task.
  await report({ jobId: 'victim', state: 'running', tasksTotal: 1, tasks: [task('v0', 0, 0, 'running')] });
  expect(await (await fetch(`${base}/jobs/victim`)).text()).toContain('<tr class="task cancelled" data-task="v0"');
  expect(await (await fetch(`${base}/jobs/victim`)).text()).toContain('<span id="job-state" class="cancelled">cancelled</span>');
});
