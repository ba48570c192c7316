// gRPC failures of calls to agents and the master, as messages a user can act on: which agent,
// doing what; a shard writer's own failure (ABORTED) passes through as the writer said it.
import { GleamError, LOST_WORK, LostWorkError } from '@gleam/executor';
import { grpc, isTlsMismatch, tidyConnectionError, tlsHint } from '@gleam/proto';

/** `usingTls`: whether the call was made over TLS (a connection failure may then be a TLS mismatch, and says so). */
export function describeGrpcError(e: unknown, usingTls?: boolean): string {
  const se = e as grpc.ServiceError;
  if (se && typeof se.code === 'number') {
    if (se.code === grpc.status.UNAUTHENTICATED) return `refused: ${se.details}`;
    if (se.code === grpc.status.DEADLINE_EXCEEDED) return 'no answer within 5 s';
    if (se.code !== grpc.status.UNAVAILABLE || usingTls === undefined) return se.details || se.message;
    const why = tidyConnectionError(se.details || se.message);
    return why + tlsHint(why, usingTls);
  }
  return (e as Error)?.message ?? String(e);
}

export function agentError(agent: string, doing: string, e: unknown): GleamError {
  const se = e as grpc.ServiceError;
  if (e instanceof GleamError) return e;
  // ABORTED carries the failure of the shard's writer (agent and peers alike): pass it on as
  // the writer said it, so a job's error reads the same locally and on a cluster.
  if (se && se.code === grpc.status.ABORTED) {
    const step = se.metadata?.get('x-gleam-step')[0];
    const err = new GleamError(se.details ?? String(se.message), typeof step === 'string' && step ? step : undefined);
    if (se.metadata?.get('x-gleam-error-name')[0] === LOST_WORK) err.name = LOST_WORK;
    return err;
  }
  // The agent is gone (or, NOT_FOUND, no longer has the shard): lost work, which a retry on a
  // surviving agent can redo.
  if (se && se.code === grpc.status.UNAVAILABLE) {
    const why = tidyConnectionError(se.details || se.message);
    // A TLS mismatch is a setting to fix: retrying on other agents would not help.
    if (isTlsMismatch(why)) return new GleamError(`agent ${agent} could not be reached while ${doing}: ${why}${tlsHint(why, true)}`);
    const refused = /ECONNREFUSED|No connection established|connect/i.test(se.details ?? '');
    return new LostWorkError(`agent ${agent} ${refused ? 'is unreachable' : 'was lost'} while ${doing}: ${why}`, agent);
  }
  if (se && se.code === grpc.status.NOT_FOUND) {
    const missing = /^shard (\S+) /.exec(se.details ?? '')?.[1];
    return new LostWorkError(`agent ${agent} no longer has what it was asked for while ${doing}: ${se.details}`, undefined, missing);
  }
  if (se && se.code === grpc.status.UNAUTHENTICATED) return new GleamError(`agent ${agent} refused the call while ${doing}: ${se.details}`);
  if (se && se.code === grpc.status.CANCELLED) return new GleamError(`agent ${agent}: ${doing} was cancelled`);
  return new GleamError(`agent ${agent} failed while ${doing}: ${describeGrpcError(e)}`);
}
