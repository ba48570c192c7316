// Shard frames over gRPC: a ReadShard call as an async iterable of frames (back pressure comes
// from the stream's own buffering), and a WriteShard call that honours write()'s return value.
import * as grpc from '@grpc/grpc-js';
import type { AgentClient } from './generated/gleam/Agent';
import { callMetadata, SHARD_METADATA_KEY } from './secret';

export async function* readShardFrames(client: AgentClient, shard: string, opts: { secret?: string; fromFrame?: number; signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  const call = client.ReadShard({ shard, fromFrame: opts.fromFrame ?? 0 }, callMetadata(opts.secret));
  yield* framesOf(call, opts.signal);
}

/**
 * The frames of a server-streaming call. Only a reader that stops early cancels the call: a
 * cancel after a clean end would still reset the HTTP/2 stream, and a server resetting that many
 * streams (one per shard read) trips Node's rapid-reset guard, which drops the connection.
 */
async function* framesOf(call: grpc.ClientReadableStream<unknown>, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  const onAbort = () => call.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  let complete = false;
  try {
    for await (const frame of call as AsyncIterable<Buffer>) yield frame;
    complete = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!complete) call.cancel();
  }
}

/** Several shards of one agent (or one section of each) as one stream of frames, in order. */
export async function* readShardsFrames(client: AgentClient, shards: readonly string[], opts: { secret?: string; section?: number; signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  const req = { shards: [...shards], sectioned: opts.section !== undefined, section: opts.section ?? 0 };
  const call = client.ReadShards(req, callMetadata(opts.secret));
  yield* framesOf(call, opts.signal);
}

/** One part of a ReadParts call: shards of one agent, or one section of each. */
export interface PartRequest {
  /** Parts that share this array (by identity) share one list on the wire. */
  shards: readonly string[];
  section?: number;
}

/**
 * A ReadParts call: the frames of each part in turn. Call part() once per requested part, in
 * order, and read each to its end before the next (the parts share one stream).
 */
export class PartsReader {
  private readonly call: grpc.ClientReadableStream<unknown>;
  private readonly it: AsyncIterator<Buffer>;
  private finished = false;
  private readonly onAbort = () => this.cancel();

  constructor(client: AgentClient, parts: readonly PartRequest[], opts: { secret?: string; signal?: AbortSignal } = {}) {
    // Lists shared by several parts (by identity) go on the wire once.
    const listIndex = new Map<readonly string[], number>();
    const lists: { shards: string[] }[] = [];
    const refs = parts.map((p) => {
      let list = listIndex.get(p.shards);
      if (list === undefined) {
        list = lists.push({ shards: [...p.shards] }) - 1;
        listIndex.set(p.shards, list);
      }
      return { list, sectioned: p.section !== undefined, section: p.section ?? 0 };
    });
    const req = { lists, parts: refs };
    this.call = client.ReadParts(req, callMetadata(opts.secret));
    // Errors reach the reader through the iterator; a cancel while no read is pending must not
    // become an unhandled 'error' event.
    this.call.on('error', () => undefined);
    this.it = (this.call as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    this.signal = opts.signal;
    this.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  private readonly signal: AbortSignal | undefined;

  /** The frames of the next part, up to its end marker. */
  async *part(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const r = await this.it.next();
      if (r.done) throw new Error('ReadParts ended before all its parts');
      if (r.value.byteLength === 0) return;
      yield r.value;
    }
  }

  /** All parts were read: the call ends on its own. */
  async done(): Promise<void> {
    const r = await this.it.next();
    if (!r.done) throw new Error('ReadParts sent more than its parts');
    this.finished = true;
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  /** Stops reading early (a reader that gives up resets the stream; one that read everything does not). */
  cancel(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (!this.finished) this.call.cancel();
    this.finished = true;
  }
}

export interface ShardWriter {
  /** A promise means: wait (the stream's buffer is full). */
  write(frame: Uint8Array): void | Promise<void>;
  /** Ends the stream cleanly (closes the shard on the agent) and waits for the answer. */
  end(): Promise<{ frames: number; bytes: number }>;
  /** Fails the shard on the agent. */
  abort(): void;
}

export function openShardWriter(client: AgentClient, shard: string, secret?: string): ShardWriter {
  let result!: (r: { frames: number; bytes: number }) => void;
  let failed!: (e: Error) => void;
  const done = new Promise<{ frames: number; bytes: number }>((res, rej) => {
    result = res;
    failed = rej;
  });
  done.catch(() => undefined);
  const call = client.WriteShard(callMetadata(secret, { [SHARD_METADATA_KEY]: shard }), (err: grpc.ServiceError | null, res?: { frames: number; bytes: number }) =>
    err ? failed(err) : result({ frames: Number(res?.frames ?? 0), bytes: Number(res?.bytes ?? 0) }),
  );
  let error: Error | undefined;
  call.on('error', (e: Error) => (error ??= e));
  return {
    write(frame) {
      if (error) throw error;
      if ((call as unknown as { write(b: Uint8Array): boolean }).write(frame)) return;
      return new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          call.off('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          call.off('drain', onDrain);
          reject(e);
        };
        call.once('drain', onDrain);
        call.once('error', onError);
      });
    },
    end() {
      call.end();
      return done;
    },
    abort() {
      // An empty frame tells the agent "failed" before the cancel: HTTP/2 may deliver the
      // cancel's END_STREAM first, which would otherwise read as a clean end.
      (call as unknown as { write(b: Uint8Array, cb: () => void): boolean }).write(new Uint8Array(0), () => call.cancel());
    },
  };
}
