// The master's calls to agents when a job ends on its side: CancelJob on every alive agent at
// once, each with its own deadline; a failure is logged, never thrown (the agent may be gone).
import type { Logger } from 'pino';
import { callMetadata, createAgentClient, unary, type AgentCancelJobResponse__Output, type ClientTls, type grpc } from '@gleam/proto';

export const AGENT_CANCEL_DEADLINE_MS = 5000;

export async function cancelJobOnAgents(agents: string[], jobId: string, reason: string, auth: { secret?: string; tls?: ClientTls }, log: Logger): Promise<void> {
  const { secret } = auth;
  await Promise.all(
    agents.map(async (agent) => {
      const client = createAgentClient(agent, auth.tls);
      try {
        const res = await unary<object, AgentCancelJobResponse__Output>(client.CancelJob.bind(client), { jobId, reason }, callMetadata(secret), AGENT_CANCEL_DEADLINE_MS);
        log.info({ job: jobId, agent, tasksCancelled: res.tasksCancelled, shardsDeleted: res.shardsDeleted }, 'job cancelled on agent');
      } catch (e) {
        const err = e as Partial<grpc.ServiceError>;
        log.warn({ job: jobId, agent, err: err.details || err.message }, 'cancelling the job on an agent failed');
      } finally {
        client.close();
      }
    }),
  );
}
