// The hygiene cases on a real cluster: a master and 2 agents × 2 executors as separate
// processes, started once for the file; every case runs with { master }.
import { startCluster, type TestCluster } from '../helpers/cluster';
import { cases } from './cases';
import { checkCase } from './support';

jest.setTimeout(60000);

let cluster: TestCluster | undefined;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2, executors: 2 });
}, 60000);

afterAll(async () => {
  await cluster?.stop();
}, 30000);

test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  if (!cluster) throw new Error('the cluster did not start');
  await checkCase(c, { master: cluster.master });
});
