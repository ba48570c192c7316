// Reads of shards hosted by other agents: one cached gRPC client per peer, and gRPC failures
// turned into messages a user can act on (the writer's own error stays verbatim).
import { GleamError } from '@gleam/executor';
import { createAgentClient, grpc, readShardsFrames, tidyConnectionError, tlsHint, type AgentClient, type ClientTls } from '@gleam/proto';

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
  // ABORTED carries the writer's failure: pass it on as the writer said it.
  if (se.code === grpc.status.ABORTED) {
    const step = se.metadata?.get(STEP_METADATA_KEY)[0];
    return new GleamError(se.details ?? String(se.message), typeof step === 'string' && step ? step : undefined);
  }
  if (se.code !== grpc.status.UNAVAILABLE) return new GleamError(`reading shard ${shard} from agent ${address} failed: ${se.details || se.message}`);
  const why = tidyConnectionError(se.details || String(se.message));
  return new GleamError(`reading shard ${shard} from agent ${address} failed: ${why}${tlsHint(why, usingTls)}`);
}
