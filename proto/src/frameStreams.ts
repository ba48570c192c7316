// Shard frames over gRPC: a ReadShard call as an async iterable of frames (back pressure comes
// from the stream's own buffering), and a WriteShard call that honours write()'s return value.
import * as grpc from '@grpc/grpc-js';
import type { AgentClient } from './generated/gleam/Agent';
import { callMetadata, SHARD_METADATA_KEY } from './secret';

export async function* readShardFrames(client: AgentClient, shard: string, opts: { secret?: string; fromFrame?: number; signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  const call = client.ReadShard({ shard, fromFrame: opts.fromFrame ?? 0 }, callMetadata(opts.secret));
  const onAbort = () => call.cancel();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const frame of call as AsyncIterable<Buffer>) yield frame;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    call.cancel();
  }
}

/** Several shards of one agent (or one section of each) as one stream of frames, in order. */
export async function* readShardsFrames(client: AgentClient, shards: readonly string[], opts: { secret?: string; section?: number; signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  const req = { shards: [...shards], sectioned: opts.section !== undefined, section: opts.section ?? 0 };
  const call = client.ReadShards(req, callMetadata(opts.secret));
  const onAbort = () => call.cancel();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const frame of call as AsyncIterable<Buffer>) yield frame;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    call.cancel();
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
