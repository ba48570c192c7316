// With a master, every batch's one job runs on the agents (a real master + 2 agents as separate
// processes): the master lists the engine's jobs, and the results equal the plain evaluation.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { callMetadata, createMasterClient, unary, type ClusterStatusResponse__Output, type MasterClient } from '@gleam/proto';
import { QueryEngine } from '@gleam/queries';
import { clusterForTests } from '../helpers/suiteCluster';
import { dropFile, makeRecords, reference } from './engineReference';

jest.setTimeout(120000);

const cluster = clusterForTests({ agents: 2 });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The jobs the master ran for the engine (named by its run option). */
async function engineJobs(master: string): Promise<NonNullable<ClusterStatusResponse__Output['jobs'][number]['report']>[]> {
  const client: MasterClient = createMasterClient(master);
  try {
    const status: ClusterStatusResponse__Output = await unary(client.ClusterStatus.bind(client), {}, callMetadata(undefined), 5000);
    return status.jobs.map((j) => j.report!).filter((r) => r.name === 'standing queries');
  } finally {
    client.close();
  }
}

test('batches run on the agents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-queries-cluster-'));
  dirs.push(dir);
  const e = new QueryEngine({ watchDir: dir, format: 'jsonl', batchMs: 3_600_000, master: cluster().master, partitions: 4 });
  await e.start();
  try {
    const texts = ["SELECT user.lang, count(*), avg(n) WHERE status = 'error' GROUP BY user.lang", "SELECT count(*) WHERE status = 'error' AND msg CONTAINS 'timeout'", 'SELECT id, price WHERE price > 900 ORDER BY price DESC, id LIMIT 5'];
    const ids = texts.map((t) => e.add(t).id);
    const f = [makeRecords(400, 41), makeRecords(300, 42)];
    dropFile(dir, 'a.jsonl', f[0]);
    await e.batchNow();
    dropFile(dir, 'b.jsonl', f[1]);
    await e.batchNow();
    for (let i = 0; i < texts.length; i++) expect(e.get(ids[i])!.rows).toEqual(reference(texts[i], f.flat()));
    expect(e.metrics()).toMatchObject({ files: 2, rowsParsed: 700, jobs: 2, predicates: 3, predicateEvaluations: 700 * 3 });
    const jobs = await engineJobs(cluster().master);
    expect(jobs.length).toBe(2);
    expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
    // The master scheduled every task of both jobs on its agents.
    for (const j of jobs) expect(j.tasksDone).toBe(j.tasksTotal);
    expect(jobs.every((j) => j.tasksTotal > 0)).toBe(true);
  } finally {
    await e.stop();
  }
});
