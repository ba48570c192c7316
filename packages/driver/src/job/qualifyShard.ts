// Plans name shards relative to the job ("d3-m0"); at run time every name gets the job's prefix
// (through mapTaskShards, the one walk over a spec's shards) so concurrent jobs never share a shard.
import { isFlowShard } from '@gleam/executor';

/** The run-time name of a plan's shard: job-prefixed, except a Flow's cached shards. */
export function qualifyShard(prefix: string, shard: string): string {
  return isFlowShard(shard) ? shard : prefix + shard;
}
