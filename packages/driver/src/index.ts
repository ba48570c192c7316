// Public surface of the driver: run a physical plan on a cluster (local now, remote later).
export type { DriverSink, DriverSource, PhysicalPlan } from './physicalPlan';
export type { Cluster } from './cluster';
export { LocalCluster, defaultMemoryBudget } from './localCluster';
export type { LocalClusterOptions } from './localCluster';
export { runPlan, newJobId } from './scheduler';
export type { RunProgress } from './scheduler';
export { qualifyTaskGroup } from './qualifyShards';
export type { RemoteCluster } from './remote/remoteCluster';
import type { RemoteCluster } from './remote/remoteCluster';

/**
 * The distributed-mode client, loaded on first use: gRPC and the proto definitions cost about
 * 50 ms of start-up that a local run never needs.
 */
export function remoteCluster(): typeof RemoteCluster {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./remote/remoteCluster') as typeof import('./remote/remoteCluster')).RemoteCluster;
}
export type { RemoteClusterOptions } from './remote/remoteCluster';
// Loads gRPC only when a lease is opened.
export { JobLease, type JobLeaseOptions } from './remote/jobLease';
