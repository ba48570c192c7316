// Public surface of the driver: jobs (plan once, run, events, cancel) on a local or remote cluster.
export type { DriverSink, DriverSource, PhysicalPlan, StageInfo } from './physicalPlan';
export type { Cluster, JobOutcome, PartReader } from './cluster';
export { LocalCluster, defaultMemoryBudget } from './localCluster';
export type { LocalClusterOptions } from './localCluster';
export { Job, runJob, newJobId } from './job/runJob';
export { streamRunning } from './job/runningJobs';
export type { HeldCluster, JobRequest } from './job/runJob';
export type { JobEvent, JobEventListener } from './job/jobEvents';
export { JobCancelledError } from './job/jobErrors';
export { JobRun } from './job/jobRun';
export { qualifyShard } from './job/qualifyShard';
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
// Reports running streams to the master (loads gRPC only when a reporter is made).
export { StreamReporter, type StreamReport, type StreamBatchReport, type StreamReporterOptions, type StreamReporterLogLevel } from './remote/streamReporter';
// A job's progress as stages and tasks (the console display and the master's web UI read it).
export { JobProgress, taskKey, type StageView, type TaskView, type StageState, type TaskState } from './job/jobProgress';
export type { StageNode } from './job/jobEvents';
export { consoleProgress, REFRESH_MS, type ConsoleProgressOptions } from './progress/consoleProgress';
