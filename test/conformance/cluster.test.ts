// The Spark conformance cases on a real cluster: a master and 2 agents × 2 executors as
// separate processes, started once for the file; every case runs with { master }.
import { Flow } from '@gleam/flow-dsl';
import { clusterForTests } from '../helpers/suiteCluster';
import { cases } from './cases';
import { checkCase } from './support';

jest.setTimeout(60000);

const flow = new Flow('spark conformance (cluster)');
const cluster = clusterForTests({ agents: 2, executors: 2 }, flow);

test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  checkCase(c, await c.run(flow, { master: cluster().master }));
}, 60000);
