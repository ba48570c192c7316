// What a DeleteShards call may delete: shards of the one job it names ("<jobId>/..."), or of a
// Flow's cache ("cache/<flow>/...", which outlives jobs and is dropped by flow.close()). Without
// this rule any caller with the secret (or a confused driver) could wipe every job's shards with
// a prefix such as "" or "j".
import { FLOW_SHARD_PREFIX } from '@gleam/executor';

export interface DeleteRequest {
  jobId: string;
  shard: string;
  prefix: string;
  shards: readonly string[];
}

/** "cache/<flow>/" followed by at least `minRest` characters. */
function underFlowCache(name: string, minRest: number): boolean {
  if (!name.startsWith(FLOW_SHARD_PREFIX)) return false;
  const slash = name.indexOf('/', FLOW_SHARD_PREFIX.length);
  return slash > FLOW_SHARD_PREFIX.length && name.length - slash - 1 >= minRest;
}

function underJob(name: string, jobId: string, minRest: number): boolean {
  return jobId !== '' && name.startsWith(`${jobId}/`) && name.length - jobId.length - 1 >= minRest;
}

/** Why the request must be refused (INVALID_ARGUMENT), or undefined when it stays in scope. */
export function deleteScopeError(req: DeleteRequest): string | undefined {
  const { jobId } = req;
  if (jobId.includes('/')) return `DeleteShards: job_id "${jobId}" is not a job id (it contains "/")`;
  const scope = jobId ? `job ${jobId} ("${jobId}/...")` : 'no job (job_id is empty)';
  const refuse = (what: string) =>
    `DeleteShards: ${what} is outside the request's scope: ${scope}. Name the job whose shards these are in job_id; only a Flow's cache ("${FLOW_SHARD_PREFIX}<flow>/...") may be deleted without one`;
  // A prefix must name a whole job or a whole Flow cache at least, never a part of a name.
  if (req.prefix && !underJob(req.prefix, jobId, 0) && !underFlowCache(req.prefix, 0)) return refuse(`prefix "${req.prefix}"`);
  for (const name of req.shard ? [req.shard, ...req.shards] : req.shards) {
    if (!underJob(name, jobId, 1) && !underFlowCache(name, 1)) return refuse(`shard "${name}"`);
  }
  return undefined;
}
