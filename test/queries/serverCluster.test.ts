// `gleam serve --master`: the batches of the standing queries run as jobs on a real cluster
// (`gleam master` + 2 `gleam agent` processes), and the answers are the same as locally.
import { startCluster, type TestCluster } from '../helpers/cluster';
import { waitFor } from '../helpers/processes';
import { gleam } from '../helpers/runNode';
import { addQuery, api, dropFile, result, startServe, tempArea, type ServeProcess } from './serverProcess';
import { events, lines, queryCase } from './serverData';

jest.setTimeout(120000);

const SECRET = 'serve-cluster-secret';
let cluster: TestCluster | undefined;
let area: ReturnType<typeof tempArea>;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, executors: 1, secret: SECRET });
}, 60000);

afterAll(async () => {
  await serve?.stop();
  await cluster?.stop();
  area?.remove();
}, 30000);

test('with --master the batches run as jobs on the agents and the results are right', async () => {
  area = tempArea('serve-cluster');
  serve = await startServe(['--watch', area.watch, '--format', 'jsonl', '--batch-ms', '300', '--master', cluster!.master], { env: { GLEAM_SECRET: SECRET } });
  const cases = [queryCase(1), queryCase(2), queryCase(3)];
  const ids: string[] = [];
  for (const c of cases) ids.push(await addQuery(serve.base, c.text, { authorization: `Bearer ${SECRET}` }));
  const a = events(1, 100);
  const b = events(2, 80);
  dropFile(area.watch, 'a.jsonl', lines(a));
  dropFile(area.watch, 'b.jsonl', lines(b));
  const auth = { authorization: `Bearer ${SECRET}` };
  await waitFor(async () => (await api(serve!.base, 'GET', '/metrics', { headers: auth })).body.files === 2, 'both files', 60000, 200);
  for (let i = 0; i < cases.length; i++) {
    const want = JSON.stringify(cases[i].expected([...a, ...b]));
    await waitFor(async () => JSON.stringify((await result(serve!.base, ids[i], auth)).rows) === want, `query ${cases[i].text} on the cluster`, 30000, 200);
  }
  const m = (await api(serve.base, 'GET', '/metrics', { headers: auth })).body;
  expect(m).toMatchObject({ files: 2, rowsParsed: 180 });
  expect(m.jobs).toBeGreaterThanOrEqual(1);
  // The master saw the batch jobs (one per batch with files, not one per query).
  const jobs = await gleam(['jobs', '--master', cluster!.master, '--json'], { env: { GLEAM_SECRET: SECRET }, timeoutMs: 20000 });
  expect(jobs.code).toBe(0);
  const list = JSON.parse(jobs.stdout) as { state: string }[];
  expect(list.length).toBeGreaterThanOrEqual(1);
  expect(m.jobs).toBeLessThanOrEqual(m.batches);
  expect(await serve.stop()).toBe(0);
  serve = undefined;
});
