// The web page of a real `gleam serve` process in headless Chromium (Debian's `chromium`, driven
// by puppeteer-core): it lists the queries, their result tables update live as files arrive (no
// reload), the form adds a query or shows the error with a caret, Remove removes, and data is
// shown as text, never as HTML. A screenshot is saved in the test's temp folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium, requireChromium } from '../helpers/browser';
import { addQuery, api, dropFile, result, startServe, tempArea, type ServeProcess } from './serverProcess';

jest.setTimeout(120000);

let area: ReturnType<typeof tempArea>;
let serve: ServeProcess | undefined;
let browser: Browser | undefined;

afterEach(async () => {
  await browser?.close().catch(() => undefined);
  browser = undefined;
  await serve?.stop();
  serve = undefined;
  area?.remove();
});

/** The rows of a query's table on the page, as text. */
function tableRows(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`section[data-query-id="${id}"] table.result tbody tr`, (trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
}

async function launch(): Promise<Browser> {
  browser = await launchChromium('the web page test');
  return browser;
}

test('the page lists the queries and its tables follow new files live; add, errors and remove work from the page', async () => {
  requireChromium('the web page test');
  area = tempArea('serve-web');
  serve = await startServe(['--watch', area.watch, '--format', 'jsonl', '--batch-ms', '200']);
  const { base } = serve;
  const byKind = await addQuery(base, 'SELECT kind, count(*) AS n GROUP BY kind ORDER BY kind');
  const big = await addQuery(base, 'SELECT kind, v WHERE v > 10 ORDER BY v DESC LIMIT 3');

  const page = await (await launch()).newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    // The refused query's 400 is logged by Chromium as a failed resource: expected, not a problem.
    if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text());
  });
  await page.goto(`${base}/`, { waitUntil: 'domcontentloaded', timeout: 20000 });
  await page.waitForFunction((n) => document.querySelectorAll('section.query').length === n, { timeout: 10000 }, 2);
  expect(await page.$$eval('section.query', (s) => s.map((e) => (e as HTMLElement).dataset.queryId))).toEqual([byKind, big]);
  expect(await tableRows(page, byKind)).toEqual([]);
  // Set on this page's window: still there after the updates means the page never reloaded.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // A value that looks like HTML must be shown as text.
  dropFile(area.watch, 'a.jsonl', ['{"kind":"click","v":5}', '{"kind":"<b>bold</b>","v":50}', '{"kind":"click","v":12}']);
  await page.waitForFunction((id) => document.querySelectorAll(`section[data-query-id="${id}"] tbody tr`).length === 2, { timeout: 20000 }, byKind);
  expect(await tableRows(page, byKind)).toEqual([
    ['<b>bold</b>', '1'],
    ['click', '2'],
  ]);
  expect(await page.$$eval(`section[data-query-id="${byKind}"] thead th`, (ths) => ths.map((t) => t.textContent))).toEqual(['kind', 'n']);
  expect(await page.$$('section.query b')).toHaveLength(0);
  await page.waitForFunction((id) => document.querySelectorAll(`section[data-query-id="${id}"] tbody tr`).length === 2, { timeout: 20000 }, big);
  expect(await tableRows(page, big)).toEqual([
    ['<b>bold</b>', '50'],
    ['click', '12'],
  ]);

  dropFile(area.watch, 'b.jsonl', ['{"kind":"view","v":99}', '{"kind":"click","v":1}']);
  await page.waitForFunction((id) => document.querySelectorAll(`section[data-query-id="${id}"] tbody tr`).length === 3, { timeout: 20000 }, byKind);
  expect(await tableRows(page, byKind)).toEqual([
    ['<b>bold</b>', '1'],
    ['click', '3'],
    ['view', '1'],
  ]);
  // The page shows what the API answers.
  expect((await result(base, byKind)).rows).toEqual([
    ['<b>bold</b>', 1],
    ['click', 3],
    ['view', 1],
  ]);
  await page.waitForFunction((id) => document.querySelector(`section[data-query-id="${id}"] tbody tr td`)?.textContent === 'view', { timeout: 20000 }, big);
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);

  // Adding from the page: a bad query shows the error with a caret; a good one appears.
  await page.type('#query-text', 'SELECT kind WHERE v >>> 3');
  await page.click('#add button[type="submit"]');
  await page.waitForFunction(() => !(document.getElementById('add-error') as HTMLElement).hidden, { timeout: 10000 });
  const shown = await page.$eval('#add-error', (e) => e.textContent ?? '');
  const [, line, caret] = shown.split('\n');
  expect(line).toBe('SELECT kind WHERE v >>> 3');
  expect(caret).toMatch(/^ {19,24}\^$/);
  await page.$eval('#query-text', (e) => ((e as HTMLTextAreaElement).value = ''));
  await page.type('#query-text', "SELECT count(*) AS n WHERE kind = '<img src=x>'");
  await page.click('#add button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('section.query').length === 3, { timeout: 10000 });
  expect(await page.$eval('#add-error', (e) => (e as HTMLElement).hidden)).toBe(true);
  const listed = (await api(base, 'GET', '/queries')).body as { id: string; text: string }[];
  expect(listed.map((q) => q.text)).toEqual(['SELECT kind, count(*) AS n GROUP BY kind ORDER BY kind', 'SELECT kind, v WHERE v > 10 ORDER BY v DESC LIMIT 3', "SELECT count(*) AS n WHERE kind = '<img src=x>'"]);
  expect(await page.$$('img')).toHaveLength(0);
  expect(await page.$eval(`section[data-query-id="${listed[2].id}"] pre.text`, (e) => e.textContent)).toBe("SELECT count(*) AS n WHERE kind = '<img src=x>'");

  // Remove from the page: gone there and on the server; a query added elsewhere appears live.
  await page.click(`section[data-query-id="${big}"] button.remove`);
  await page.waitForFunction((id) => !document.querySelector(`section[data-query-id="${id}"]`), { timeout: 10000 }, big);
  expect((await api(base, 'GET', `/queries/${big}`)).status).toBe(404);
  const fromCli = await addQuery(base, 'SELECT max(v) AS top');
  await page.waitForFunction((id) => Boolean(document.querySelector(`section[data-query-id="${id}"]`)), { timeout: 10000 }, fromCli);
  await page.waitForFunction(() => /files \d+/.test(document.getElementById('metrics')?.textContent ?? ''), { timeout: 10000 });

  const shot = path.join(area.root, 'page.png');
  await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
  expect(fs.statSync(shot).size).toBeGreaterThan(1000);
  expect(problems).toEqual([]);
});

test('with a secret the page asks to log in; after /login it adds a query and follows it live', async () => {
  requireChromium('the web page test');
  area = tempArea('serve-web-login');
  serve = await startServe(['--watch', area.watch, '--format', 'text', '--batch-ms', '200'], { env: { GLEAM_SECRET: 'web-secret' } });
  const page = await (await launch()).newPage();
  const first = await page.goto(`${serve.base}/`, { waitUntil: 'domcontentloaded', timeout: 20000 });
  expect(first!.status()).toBe(401);
  await page.click('a[href="/login"]');
  await page.waitForSelector('input[type="password"]', { timeout: 10000 });
  await page.type('input[name="secret"]', 'web-secret');
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded', timeout: 10000 }), page.click('button[type="submit"]')]);
  expect(new URL(page.url()).pathname).toBe('/');
  await page.waitForFunction(() => document.getElementById('live')?.textContent === 'live', { timeout: 10000 });
  await page.type('#query-text', "SELECT count(*) AS n WHERE line LIKE 'err%'");
  await page.click('#add button[type="submit"]');
  await page.waitForFunction(() => document.querySelectorAll('section.query').length === 1, { timeout: 10000 });
  const id = await page.$eval('section.query', (e) => (e as HTMLElement).dataset.queryId!);
  dropFile(area.watch, 'log.txt', ['error: disk', 'ok', 'err: net']);
  await page.waitForFunction((q) => document.querySelector(`section[data-query-id="${q}"] tbody td`)?.textContent === '2', { timeout: 20000 }, id);
  // The secret is in no URL the browser saw and in no cookie value.
  expect(page.url()).not.toContain('web-secret');
  expect((await page.cookies()).map((c) => c.value).join(' ')).not.toContain('web-secret');
});
