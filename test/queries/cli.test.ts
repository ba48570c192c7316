// `gleam query add|list|show|rm --server H:P` against a real `gleam serve` process: ids, tables,
// a refused query printed with a caret under the position, non-zero exit codes on errors.
import { freePort } from '../helpers/cluster';
import { waitFor } from '../helpers/processes';
import * as path from 'node:path';
import { gleam, repoRoot, run } from '../helpers/runNode';
import { dropFile, startServe, tempArea, type ServeProcess } from './serverProcess';

jest.setTimeout(90000);

let area: ReturnType<typeof tempArea>;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  area = tempArea('serve-cli');
  serve = await startServe(['--watch', area.watch, '--format', 'csv', '--header', '--batch-ms', '200'], { env: { GLEAM_SECRET: 'cli-secret' } });
}, 60000);

afterAll(async () => {
  await serve?.stop();
  area?.remove();
});

const env = { GLEAM_SECRET: 'cli-secret' };
const q = (args: string[]) => gleam(['query', ...args, '--server', serve!.address], { env, timeoutMs: 20000 });

test('add, list, show (a table) and rm; errors name the cause and exit non-zero', async () => {
  const add = await q(['add', 'SELECT city, count(*) AS n, avg(temp) AS t', 'GROUP BY city ORDER BY n DESC, city']);
  expect(add.stderr).toBe('');
  expect(add.code).toBe(0);
  const id = add.stdout.trim();
  expect(id).toMatch(/^\S+$/);

  const list = await q(['list']);
  expect(list.code).toBe(0);
  expect(list.stdout).toBe(`ID${' '.repeat(Math.max(2, id.length) - 2)}  QUERY\n${id.padEnd(2)}  SELECT city, count(*) AS n, avg(temp) AS t GROUP BY city ORDER BY n DESC, city\n`);

  dropFile(area.watch, 'w.csv', ['city,temp', 'Oslo,4', 'Rome,20', 'Oslo,6', 'Lima,18']);
  await waitFor(async () => (await q(['show', id, '--json'])).stdout.includes('Oslo'), 'the result to show Oslo', 20000, 200);
  const show = await q(['show', id]);
  expect(show.code).toBe(0);
  const [title, meta, blank, ...table] = show.stdout.split('\n');
  expect(title).toBe(`${id}: SELECT city, count(*) AS n, avg(temp) AS t GROUP BY city ORDER BY n DESC, city`);
  expect(meta).toMatch(/^\d+ batch(es)?, updated \d{4}-\d\d-\d\dT/);
  expect(blank).toBe('');
  expect(table).toEqual(['city  n  t', 'Oslo  2  5', 'Lima  1  18', 'Rome  1  20', '']);

  const bad = await q(['add', "SELECT city WHERE temp >> 3"]);
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  // The message, then the query and a caret under the position the server gave.
  const [msg, line, caret] = bad.stderr.split('\n');
  expect(msg).toMatch(/^gleam: query refused: .+ \(at position \d+\)$/);
  expect(line).toBe('  SELECT city WHERE temp >> 3');
  const pos = Number(/at position (\d+)/.exec(msg)![1]);
  expect(caret).toBe(`  ${' '.repeat(pos)}^`);
  expect(pos).toBeGreaterThanOrEqual(23);

  const rm = await q(['rm', id]);
  expect([rm.code, rm.stdout]).toEqual([0, `removed ${id}\n`]);
  const again = await q(['rm', id]);
  expect(again.code).toBe(1);
  expect(again.stderr).toBe(`gleam: query rm: no query ${id}\n`);
  expect((await q(['show', id])).code).toBe(1);
  expect((await q(['list'])).stdout).toBe('no queries\n');
});

test('a wrong secret and an unreachable server are named', async () => {
  const wrong = await gleam(['query', 'list', '--server', serve!.address], { env: { GLEAM_SECRET: 'nope' }, timeoutMs: 20000 });
  expect(wrong.code).toBe(1);
  expect(wrong.stderr).toMatch(/^gleam: query list: missing or wrong cluster secret/);
  const port = await freePort();
  const down = await gleam(['query', 'list', '--server', `127.0.0.1:${port}`], { env, timeoutMs: 20000 });
  expect(down.code).toBe(1);
  expect(down.stderr).toBe(`gleam: cannot reach the query server 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (is \`gleam serve\` running there? pass --server HOST:PORT or set GLEAM_SERVE)\n`);
});

test('add - reads the query from stdin; an error on its second line is shown on that line', async () => {
  const fromStdin = (input: string) => run(process.execPath, [path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js'), 'query', 'add', '-', '--server', serve!.address], { env, input, timeoutMs: 20000 });
  const ok = await fromStdin('SELECT city, max(temp) AS hi\nGROUP BY city\n');
  expect([ok.code, ok.stderr]).toEqual([0, '']);
  const id = ok.stdout.trim();
  expect((await q(['list', '--json'])).stdout).toContain('"text": "SELECT city, max(temp) AS hi\\nGROUP BY city"');
  const bad = await fromStdin('SELECT city\nWHERE temp >> 3\n');
  expect(bad.code).toBe(1);
  const [msg, line, caret] = bad.stderr.split('\n');
  const pos = Number(/at position (\d+)/.exec(msg)![1]);
  expect(line).toBe('  WHERE temp >> 3');
  expect(caret).toBe(`  ${' '.repeat(pos - 'SELECT city\n'.length)}^`);
  expect((await q(['rm', id])).code).toBe(0);
});
