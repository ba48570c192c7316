// Reads of shards hosted by other agents: one cached gRPC client per peer, and gRPC failures
// turned into messages a user can act on (the writer's own error stays verbatim).
import { GleamError, LOST_WORK, LostWorkError } from '@gleam/executor';
import { createAgentClient, grpc, isTlsMismatch, readShardsFrames, tidyConnectionError, tlsHint, type AgentClient, type ClientTls } from '@gleam/proto';

/** Trailing metadata of a failed ReadShard: the step of the writer's error, if it had one. */
export const STEP_METADATA_KEY = 'x-gleam-step';

export class PeerClients {
  private readonly clients = new Map<string, AgentClient>();

  constructor(
    private readonly secret: string | undefined,
    private readonly tls?: ClientTls,
  ) {}

  client(address: string): AgentClient {
    let c = this.clients.get(address);
    if (!c) {
      c = createAgentClient(address, this.tls);
      this.clients.set(address, c);
    }
    return c;
  }

  /** Streams shards (or a section of each) from a peer agent, in order, following each writer (tail semantics). */
  async *read(address: string, shards: readonly string[], signal: AbortSignal, section?: number): AsyncGenerator<Uint8Array> {
    try {
      yield* readShardsFrames(this.client(address), shards, { secret: this.secret, signal, section });
    } catch (e) {
      if (signal.aborted) throw e;
      throw peerReadError(address, shards.length === 1 ? shards[0] : `${shards[0]} (and ${shards.length - 1} more)`, e, this.tls !== undefined);
    }
  }

  close(): void {
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

function peerReadError(address: string, shard: string, e: unknown, usingTls: boolean): Error {
  const se = e as Partial<grpc.ServiceError>;
  if (typeof se.code !== 'number') return e instanceof Error ? e : new Error(String(e));
  // ABORTED carries the writer's failure: pass it on as the writer said it (with its kind).
  if (se.code === grpc.status.ABORTED) {
    const step = se.metadata?.get(STEP_METADATA_KEY)[0];
    const kind = se.metadata?.get(ERROR_NAME_METADATA_KEY)[0];
    const err = new GleamError(se.details ?? String(se.message), typeof step === 'string' && step ? step : undefined);
    if (kind === LOST_WORK) err.name = LOST_WORK;
    return err;
  }
  const why = tidyConnectionError(se.details || String(se.message));
  // A TLS mismatch is a configuration to fix, not an agent to give up.
  if (se.code === grpc.status.UNAVAILABLE && isTlsMismatch(why)) return new GleamError(`reading shard ${shard} from agent ${address} failed: ${why}${tlsHint(why, usingTls)}`);
  // The peer is gone or no longer has the shard: the input is lost, and running again can succeed.
  if (se.code === grpc.status.UNAVAILABLE || se.code === grpc.status.NOT_FOUND || se.code === grpc.status.DEADLINE_EXCEEDED || se.code === grpc.status.INTERNAL) {
    // NOT_FOUND names the missing shard ("shard X was deleted", "shard X does not exist ...").
    const missing = se.code === grpc.status.NOT_FOUND ? /^shard (\S+) /.exec(se.details ?? '')?.[1] : undefined;
    return new LostWorkError(`input shard ${missing ?? shard} on agent ${address} was lost: ${why}`, se.code === grpc.status.NOT_FOUND ? undefined : address, missing);
  }
  return new GleamError(`reading shard ${shard} from agent ${address} failed: ${why}`);
}

/** Trailing metadata of a failed read: the name (kind) of the writer's error. */
export const ERROR_NAME_METADATA_KEY = 'x-gleam-error-name';
