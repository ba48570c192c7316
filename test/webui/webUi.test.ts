// The master's web UI in a real browser: headless Chromium (Debian's `chromium`, driven by
// puppeteer-core) against a real master + 2 agents with a secret. It logs in through the form
// (an HttpOnly cookie), watches a real job's page — the SVG DAG with a `.stage` node per stage of
// the plan, the task rows with agents and attempts, a running task turning done without a reload
// — cancels another job with the page's button, and saves a screenshot.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { ClusterStatusResponse__Output, JobStatus__Output } from '@gleam/proto';
import { launchChromium, requireChromium } from '../helpers/browser';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { repoRoot } from '../helpers/runNode';

jest.setTimeout(180000);

const SECRET = 'web-ui-secret';

let cluster: TestCluster | undefined;
let browser: Browser | undefined;
let dir: string;
const drivers: ChildProcess[] = [];

/** A driver script in the test's directory: `body` uses Flow (the repository's built DSL); it prints its result. */
function flowScript(name: string, body: string): string {
  const file = path.join(dir, `${name.replace(/\W+/g, '-')}.js`);
  fs.writeFileSync(
    file,
    `const { Flow } = require(${JSON.stringify(path.join(repoRoot, 'packages', 'flow-dsl'))});
${body}
  .then((rows) => console.log('result', JSON.stringify(rows.sort())), (e) => { console.error('failed:', e.message); process.exit(3); });
`,
  );
  return file;
}

/** Integers in `partitions` parts through a busy map of `msPerRow` a row. */
function driverScript(name: string, partitions: number, rowsPerPartition: number, msPerRow: number): string {
  return flowScript(name, `new Flow(${JSON.stringify(name)}, { partitions: ${partitions} })
  .parallelize(Array.from({ length: ${partitions * rowsPerPartition} }, (_, i) => i), ${partitions})
  .map('(x) => { const end = Date.now() + ${msPerRow}; while (Date.now() < end) {} return [x % 3, 1]; }')
  .reduceBy((a, b) => a + b)
  .collect()`);
}

/** A text file through a busy map of `msPerLine` a line, read in 64 KB batches. */
function textFileScript(name: string, lines: number, msPerLine: number): string {
  const input = path.join(dir, `${name.replace(/\W+/g, '-')}.txt`);
  fs.writeFileSync(input, Array.from({ length: lines }, (_, i) => `line ${String(i).padStart(8, '0')} ${'y'.repeat(36)}\n`).join(''));
  return flowScript(name, `new Flow(${JSON.stringify(name)})
  .textFile(${JSON.stringify(input)})
  .map('(line) => { const end = Date.now() + ${msPerLine}; while (Date.now() < end) {} return [line.length % 3, 1]; }')
  .reduceBy((a, b) => a + b)
  .collect()`);
}

/** Starts a driver process on the cluster; returns it and a promise of its exit and output. */
function startDriver(file: string) {
  const child = spawn(process.execPath, [file], { cwd: repoRoot, env: { ...process.env, GLEAM_MASTER: cluster!.master, GLEAM_SECRET: SECRET, GLEAM_PROGRESS: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  drivers.push(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out })));
  return { child, exited };
}

async function status(): Promise<ClusterStatusResponse__Output> {
  const res = await fetch(`http://${cluster!.http}/status.json`, { headers: { 'x-gleam-secret': SECRET }, signal: AbortSignal.timeout(5000) });
  return (await res.json()) as ClusterStatusResponse__Output;
}

async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${cluster?.logs().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The job of that name once the master knows its stages and it is running. */
function runningJob(name: string): Promise<JobStatus__Output> {
  return waitFor(async () => (await status()).jobs.find((j) => j.report?.name === name && j.report.state === 'running' && j.report.stages.length > 0 && j.report.tasks.length > 0), `job "${name}" running with stages and tasks`);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-webui-'));
  requireChromium('the web UI test');
  cluster = await startCluster({ agents: 2, executors: 2, secret: SECRET });
  browser = await launchChromium('the web UI test');
}, 120000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  for (const d of drivers) if (d.exitCode === null && d.signalCode === null) d.kill('SIGKILL');
  await cluster?.stop();
  // GLEAM_KEEP_SCREENSHOTS=1 keeps the directory to look at the screenshots.
  if (!process.env.GLEAM_KEEP_SCREENSHOTS) fs.rmSync(dir, { recursive: true, force: true });
}, 60000);

async function logIn(page: Page): Promise<void> {
  const base = `http://${cluster!.http}`;
  // Without a session the pages send to the login form; the secret never goes in a URL.
  const first = await page.goto(`${base}/`);
  expect(first!.status()).toBe(401);
  await page.goto(`${base}/login`);
  await page.type('input[type=password][name=secret]', SECRET);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  expect(page.url()).toBe(`${base}/`);
  const cookie = (await page.cookies()).find((c) => c.name === 'gleam_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: scripts cannot read it
}

test('log in, watch a running job live (DAG, tasks with agents and attempts), cancel another, screenshot', async () => {
  const page = await browser!.newPage();
  await page.setViewport({ width: 1400, height: 1000 });
  await logIn(page);
  const base = `http://${cluster!.http}`;

  // 8 partitions of 400 rows at 4 ms a row: ~1.6 s a task, two waves on 4 slots.
  const watched = startDriver(driverScript('web ui watched', 8, 400, 4));
  const job = await runningJob('web ui watched');
  const jobId = job.report!.jobId;
  const stages = job.report!.stages;
  expect(stages.length).toBeGreaterThanOrEqual(2);

  // The list on `/` links to the job, with the agents above it; it updates itself (no reload).
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await page.waitForSelector(`tr.job[data-job="${jobId}"] a[href="/jobs/${jobId}"]`, { timeout: 15000 });
  const agentsShown = await page.$$eval('table', (ts) => ts[0].textContent ?? '');
  for (const a of cluster!.agents) expect(agentsShown).toContain(a.address);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  await page.screenshot({ path: path.join(dir, 'index.png'), fullPage: true });

  await page.goto(`${base}/jobs/${jobId}`);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 2));
  // One SVG node of class `stage` per stage of the plan, and an edge between the stages.
  expect(await page.$$eval('svg.dag g.stage', (gs) => gs.length)).toBe(stages.length);
  expect(await page.$$eval('svg.dag path.edge', (es) => es.length)).toBeGreaterThanOrEqual(1);
  const headers = await page.$$eval('table th', (ths) => ths.map((t) => t.textContent));
  for (const h of ['task', 'stage', 'agent', 'attempt', 'rows in', 'bytes out', 'time', 'state']) expect(headers).toContain(h);
  const rows = await page.$$eval('tr.task', (trs) => trs.map((tr) => ({ task: tr.getAttribute('data-task'), cls: tr.className, cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '') })));
  expect(rows.length).toBeGreaterThan(0);
  const agents = cluster!.agents.map((a) => a.address);
  for (const r of rows) {
    expect(agents).toContain(r.cells[3]); // agent
    expect(Number(r.cells[4])).toBeGreaterThanOrEqual(1); // attempt
  }
  // A task that runs now turns done on the page without a reload (server-sent events).
  const running = rows.find((r) => r.cls.includes('running'));
  expect(running).toBeDefined();
  await page.waitForFunction((task) => document.querySelector(`tr.task.done[data-task="${task}"]`) !== null, { timeout: 60000, polling: 100 }, running!.task);
  // The whole job finishes live too: its state, every stage node done.
  await page.waitForFunction(() => document.getElementById('job-state')?.textContent === 'succeeded', { timeout: 90000, polling: 200 });
  expect(await page.$$eval('svg.dag g.stage.done', (gs) => gs.length)).toBe(stages.length);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(2);
  const shot = path.join(dir, 'job-page.png');
  await page.screenshot({ path: shot, fullPage: true });
  expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
  const done = await watched.exited;
  expect(done.code).toBe(0);
  expect(done.out).toContain('result [[0,1067],[1,1067],[2,1066]]');

  // Another job, far too slow to finish: the page's cancel button stops it.
  const victim = startDriver(textFileScript('web ui victim', 100000, 1));
  const victimId = (await runningJob('web ui victim')).report!.jobId;
  // A cancel from another site is refused, even with the session cookie.
  const cookie = (await page.cookies()).find((c) => c.name === 'gleam_session')!;
  const forged = await fetch(`${base}/jobs/${victimId}/cancel`, { method: 'POST', headers: { cookie: `gleam_session=${cookie.value}`, origin: 'http://evil.example' }, redirect: 'manual', signal: AbortSignal.timeout(5000) });
  expect(forged.status).toBe(403);
  await page.goto(`${base}/jobs/${victimId}`);
  await page.waitForSelector('#cancel');
  // Its tasks are far from done, yet the DAG shows the rows they have read so far.
  await page.waitForFunction(() => /^[1-9][\d,]* rows in/.test(document.querySelector('svg.dag g.stage[data-stage="0"] text:nth-of-type(3)')?.textContent ?? ''), { timeout: 20000, polling: 100 });
  expect(await page.$eval('svg.dag g.stage[data-stage="0"] text:nth-of-type(2)', (t) => t.textContent)).toMatch(/^0\/\d+ done/);
  // Clicked inside the page: a live update may replace the button between a lookup and a click.
  await Promise.all([page.waitForNavigation(), page.$eval('#cancel', (b) => (b as HTMLButtonElement).click())]);
  await page.waitForFunction(() => document.getElementById('job-state')?.textContent === 'cancelled', { timeout: 15000, polling: 100 });
  expect(await page.$('#cancel')).toBeNull();
  // What ran ended with it, on the page too.
  await page.waitForFunction(() => document.querySelectorAll('tr.task.running').length === 0 && document.querySelectorAll('tr.task.cancelled').length > 0, { timeout: 15000, polling: 100 });
  const gone = await victim.exited;
  expect(gone.code).not.toBe(0);
  expect(gone.out).toMatch(/cancelled/);
  const after = (await status()).jobs.find((j) => j.report?.jobId === victimId)!;
  expect(after.report).toMatchObject({ state: 'cancelled', error: 'cancelled: from the web UI' });
  await page.screenshot({ path: path.join(dir, 'cancelled.png'), fullPage: true });
  process.stdout.write(`[webui] screenshots in ${dir}: index.png, job-page.png, cancelled.png\n`);
  await page.close();
});
