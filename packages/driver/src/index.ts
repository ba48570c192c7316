// Public surface of the driver: run a physical plan on a cluster (local now, remote later).
export type { DriverSink, DriverSource, PhysicalPlan } from './physicalPlan';
export type { Cluster } from './cluster';
export { LocalCluster, defaultMemoryBudget } from './localCluster';
export type { LocalClusterOptions } from './localCluster';
export { runPlan, newJobId } from './scheduler';
export type { RunProgress } from './scheduler';
export { qualifyTaskGroup } from './qualifyShards';
export { RemoteCluster } from './remote/remoteCluster';
export type { RemoteClusterOptions } from './remote/remoteCluster';
