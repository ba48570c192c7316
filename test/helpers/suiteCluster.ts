// One real cluster for a test file or describe block: started before its tests and stopped after
// them (closing the given Flow first, so its jobs and cached shards end before the agents do).
import type { Flow } from '@gleam/flow-dsl';
import { startCluster, type ClusterOptions, type TestCluster } from './cluster';

export function clusterForTests(opts: ClusterOptions, flow?: Flow): () => TestCluster {
  let cluster: TestCluster | undefined;
  beforeAll(async () => {
    cluster = await startCluster(opts);
  }, 60000);
  afterAll(async () => {
    await flow?.close();
    await cluster?.stop();
  }, 30000);
  return () => {
    if (!cluster) throw new Error('the cluster did not start');
    return cluster;
  };
}
