// The agent of distributed mode: executor pool and shard host behind the Agent gRPC service.
export { startAgent, AGENT_VERSION, DEFAULT_AGENT_PORT } from './startAgent';
export type { AgentOptions, AgentHandle } from './startAgent';
