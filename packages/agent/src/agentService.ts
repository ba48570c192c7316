// The Agent gRPC service: task execution on the executor pool and the shard streams of the
// local store (raw frames both ways, back pressure honoured).
import { decodeValue, encodePartials, remoteShardLocations, ShardDeletedError, ShardMissingError, serializeError, writtenShards, type GleamError, type TaskGroupSpec } from '@gleam/executor';
import {
  grpc,
  JOB_CANCELLED_ERROR_NAME,
  jobCancelledMessage,
  SHARD_METADATA_KEY,
  type AgentCancelJobRequest__Output,
  type AgentCancelJobResponse,
  type AgentStatus,
  type DeleteShardsRequest__Output,
  type Empty,
  type ExecuteRequest__Output,
  type ReadShardRequest__Output,
  type ReadShardsRequest__Output,
  type ReadPartsRequest__Output,
  type TaskEvent,
  type WriteShardResponse,
} from '@gleam/proto';
import type { Logger } from 'pino';
import type { AgentShards } from './agentShards';
import type { CancelledJobs } from './cancelledJobs';
import { deleteScopeError } from './deleteScope';
import type { ExecutorPool, PoolSlot } from './executorPool';
import { ERROR_NAME_METADATA_KEY, STEP_METADATA_KEY } from './peerClients';

export interface AgentServiceDeps {
  shards: AgentShards;
  pool: ExecutorPool;
  jobs: CancelledJobs;
  log: Logger;
  address: () => string;
  memoryMb: number;
  version: string;
}

type StatusError = Partial<grpc.StatusObject> & { code: grpc.status; details: string };

/** Ends a part of a ReadParts stream (no row frame is empty). */
const END_OF_PART = new Uint8Array(0);

function statusError(code: grpc.status, details: string, metadata?: grpc.Metadata): StatusError {
  return { code, details, metadata: metadata ?? new grpc.Metadata() };
}

/** Resolves when the stream can take more (drain) or will never take more (closed/cancelled). */
function writable(call: grpc.ServerWritableStream<unknown, unknown>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      call.off('drain', done);
      call.off('close', done);
      call.off('cancelled', done);
      resolve();
    };
    call.on('drain', done);
    call.on('close', done);
    call.on('cancelled', done);
  });
}

/** True when the HTTP/2 stream under a server call is already closed (reached via grpc-js internals). */
function streamWasReset(call: object): boolean {
  const h2 = (call as { call?: { stream?: { closed?: boolean; destroyed?: boolean; rstCode?: number } } }).call?.stream;
  return Boolean(h2 && (h2.closed || h2.destroyed || h2.rstCode));
}

export function agentHandlers(deps: AgentServiceDeps): grpc.UntypedServiceImplementation {
  const { shards, pool, jobs, log } = deps;
  /** Shards with a WriteShard stream in progress. */
  const writing = new Set<string>();

  function ExecuteTask(call: grpc.ServerWritableStream<ExecuteRequest__Output, TaskEvent>): void {
    const jobId = call.request.jobId;
    let spec: TaskGroupSpec;
    let outputs: string[];
    try {
      spec = decodeValue<TaskGroupSpec>(call.request.task);
      if (!spec || typeof spec !== 'object' || !spec.name || !spec.input || !spec.output) throw new Error('not a task group spec');
      outputs = writtenShards(spec);
    } catch (e) {
      call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, `ExecuteTask: undecodable task: ${(e as Error).message}`));
      return;
    }
    const refused = jobs.refusal(jobId);
    if (refused) {
      log.info({ jobId, task: spec.name }, 'task refused: its job was cancelled');
      call.emit('error', statusError(grpc.status.FAILED_PRECONDITION, refused));
      return;
    }
    const ac = new AbortController();
    // Set only while this call's task runs: grpc-js may also emit 'cancelled' after a call ended
    // normally, and by then the slot may run another caller's task.
    let running: PoolSlot | undefined;
    /** Set when the task's job was cancelled (CancelJob): the call ends with a failed event. */
    let jobCancel: string | undefined;
    const untrackJob = jobs.track(jobId, (reason) => {
      jobCancel = reason;
      ac.abort();
      running?.host.cancel();
    });
    // Readers of this task's outputs wait for them past the missing-shard bound while it is queued or runs.
    const unexpect = shards.expectWriters(outputs);
    const untrack = () => {
      untrackJob();
      unexpect();
    };
    const cancelledEvent = (): TaskEvent => ({ failed: { name: JOB_CANCELLED_ERROR_NAME, message: jobCancelledMessage(jobId, jobCancel), stack: '', step: '' } });
    call.on('cancelled', () => {
      ac.abort();
      if (running) {
        log.info({ jobId, task: spec.name, executor: running.host.index }, 'task cancelled by its caller');
        running.host.cancel();
      }
    });
    void (async () => {
      let slot: PoolSlot;
      try {
        slot = await pool.acquire(ac.signal);
      } catch (e) {
        untrack();
        if (jobCancel !== undefined) {
          log.info({ jobId, task: spec.name }, 'queued task cancelled with its job');
          call.write(cancelledEvent());
          call.end();
        } else if (!ac.signal.aborted) call.emit('error', statusError(grpc.status.UNAVAILABLE, (e as Error).message));
        return;
      }
      const writer = shards.beginWriter();
      let shardLocations: Map<string, string>;
      try {
        shardLocations = remoteShardLocations(spec, call.request.locations, deps.address());
        for (const [shard, agent] of Object.entries(call.request.shardLocations ?? {})) if (agent !== deps.address()) shardLocations.set(shard, agent);
      } catch (e) {
        untrack();
        writer.release();
        pool.release(slot);
        call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, `ExecuteTask: ${(e as Error).message}`));
        return;
      }
      slot.access.task = { shardLocations, writer };
      const executor = slot.host.index;
      const t0 = Date.now();
      try {
        // A thread started lazily here is started before the task is marked running, so that a
        // cancel arriving meanwhile is seen below rather than missed by host.cancel().
        await slot.host.start();
        // The caller went away, or the job was cancelled, while we waited: nothing to run.
        if (jobCancel !== undefined) {
          call.write(cancelledEvent());
          return;
        }
        if (ac.signal.aborted) return;
        log.info({ jobId, task: spec.name, executor }, 'task started');
        call.write({ started: { executor } });
        running = slot;
        // Rows read so far, every few hundred ms, for a driver that asked (its live progress).
        const onProgress = call.request.progress
          ? (rowsIn: number) => {
              if (!ac.signal.aborted) call.write({ progress: { rowsIn } });
            }
          : undefined;
        const stats = await slot.host.run(spec, onProgress);
        log.info({ jobId, task: spec.name, executor, rowsIn: stats.rowsIn, rowsOut: stats.rowsOut, millis: stats.millis }, 'task done');
        call.write({ done: { ...stats, accumulators: encodePartials(stats.accumulators) } });
      } catch (e) {
        const err = serializeError(e);
        if (jobCancel !== undefined) {
          // The task's own error (a killed pipe, a stopped thread) is a consequence, not the cause.
          log.info({ jobId, task: spec.name, executor, millis: Date.now() - t0 }, 'task cancelled with its job');
          call.write(cancelledEvent());
          return;
        }
        if (ac.signal.aborted) log.info({ jobId, task: spec.name, executor, millis: Date.now() - t0 }, 'task ended after cancel');
        else log.warn({ jobId, task: spec.name, executor, step: err.step, err: err.message, millis: Date.now() - t0 }, 'task failed');
        call.write({ failed: { name: err.name, message: err.message, stack: err.stack ?? '', step: err.step ?? '', lostAgent: err.lostAgent ?? '', lostShard: err.lostShard ?? '' } });
      } finally {
        untrack();
        running = undefined;
        writer.release();
        pool.release(slot);
        call.end();
      }
    })();
  }

  function ReadShard(call: grpc.ServerWritableStream<ReadShardRequest__Output, Uint8Array>): void {
    const { shard, fromFrame } = call.request;
    streamFrames(call, shard, [shard], (signal) => shards.store.read(shard, { signal, fromFrame: fromFrame || 0 }));
  }

  function ReadShards(call: grpc.ServerWritableStream<ReadShardsRequest__Output, Uint8Array>): void {
    const { shards: names, sectioned, section } = call.request;
    const what = names.length === 1 ? names[0] : `${names.length} shards`;
    streamFrames(call, what, names, (signal) => shards.store.readMany(names, { signal, section: sectioned ? section : undefined }));
  }

  function ReadParts(call: grpc.ServerWritableStream<ReadPartsRequest__Output, Uint8Array>): void {
    const { lists, parts } = call.request;
    const names = lists.flatMap((l) => l.shards);
    if (parts.some((p) => !lists[p.list])) {
      call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'ReadParts: a part names a shard list that is not in the request'));
      return;
    }
    async function* frames(signal: AbortSignal): AsyncGenerator<Uint8Array> {
      for (const p of parts) {
        yield* shards.store.readMany(lists[p.list].shards, { signal, section: p.sectioned ? p.section : undefined });
        yield END_OF_PART;
      }
    }
    streamFrames(call, `${parts.length} parts of ${names.length} shards`, names, frames);
  }

  /** Streams frames to a reader with back pressure; a failed writer's error reaches the reader as it was. */
  function streamFrames(call: grpc.ServerWritableStream<unknown, Uint8Array>, what: string, names: readonly string[], frames: (signal: AbortSignal) => AsyncIterable<Uint8Array>): void {
    // Shards of a cancelled job are gone and must not be waited for (a reader would wait for ever).
    for (const name of names) {
      const refused = jobs.refusalForShard(name);
      if (refused) {
        call.emit('error', statusError(grpc.status.FAILED_PRECONDITION, refused));
        return;
      }
    }
    const ac = new AbortController();
    const abort = () => ac.abort();
    call.on('cancelled', abort);
    call.on('close', abort);
    void (async () => {
      try {
        for await (const frame of frames(ac.signal)) {
          // The store's frame is copied into the HTTP/2 frame on write, so it is never kept.
          if (!call.write(frame)) {
            if (call.destroyed) return;
            await writable(call);
          }
          if (ac.signal.aborted || call.destroyed) return;
        }
        call.end();
      } catch (e) {
        if (ac.signal.aborted) return;
        const err = e as GleamError;
        if (e instanceof ShardDeletedError) {
          log.info({ shard: what }, 'shard read ended: shard deleted');
          call.emit('error', statusError(grpc.status.NOT_FOUND, err.message));
        } else if (e instanceof ShardMissingError) {
          log.info({ shard: what, err: err.message }, 'shard read ended: no such shard');
          call.emit('error', statusError(grpc.status.NOT_FOUND, err.message));
        } else if (e instanceof RangeError) {
          call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, err.message));
        } else {
          // The writer failed the shard: its message (and step) travel to the reader as they are.
          const md = new grpc.Metadata();
          if (err.step) md.set(STEP_METADATA_KEY, err.step);
          if (err.name) md.set(ERROR_NAME_METADATA_KEY, err.name);
          log.info({ shard: what, err: err.message }, 'shard read ended: writer failed');
          call.emit('error', statusError(grpc.status.ABORTED, err.message, md));
        }
      } finally {
        call.off('cancelled', abort);
        call.off('close', abort);
      }
    })();
  }

  function WriteShard(call: grpc.ServerReadableStream<Uint8Array, WriteShardResponse>, callback: grpc.sendUnaryData<WriteShardResponse>): void {
    const shard = call.metadata.get(SHARD_METADATA_KEY)[0];
    if (typeof shard !== 'string' || !shard) {
      callback(statusError(grpc.status.INVALID_ARGUMENT, `WriteShard: the shard name must be in the metadata key ${SHARD_METADATA_KEY}`));
      return;
    }
    const refused = jobs.refusalForShard(shard);
    if (refused) {
      callback(statusError(grpc.status.FAILED_PRECONDITION, refused));
      return;
    }
    if (shards.store.isClosed(shard) || writing.has(shard)) {
      // Two writers would interleave their frames: the shard has one writer, once.
      callback(statusError(grpc.status.FAILED_PRECONDITION, `shard ${shard} is already ${writing.has(shard) ? 'being written' : 'closed'}`));
      return;
    }
    writing.add(shard);
    const unexpect = shards.expectWriters([shard]);
    const writer = shards.beginWriter();
    let frames = 0;
    let bytes = 0;
    let ended = false;
    let finished = false;
    const wentAway = () => finish(new Error(`writer of shard ${shard} went away`));
    const finish = (error?: Error, status?: StatusError) => {
      if (finished) return;
      finished = true;
      // The job was cancelled under the writer: its frames were dropped, and it must know.
      const cancelled = jobs.refusalForShard(shard);
      if (cancelled && !error) {
        error = new Error(cancelled);
        status = statusError(grpc.status.FAILED_PRECONDITION, cancelled);
      }
      writing.delete(shard);
      unexpect();
      // Closed before the writer's ticket is released: the release may forget the deletions
      // that make this writer stale, and a stale close would recreate a deleted shard.
      if (!shards.isStale(shard, writer.epoch)) {
        try {
          shards.close(shard, error, writer.epoch);
        } catch (e) {
          log.warn({ shard, err: (e as Error).message }, 'closing shard failed');
        }
      }
      writer.release();
      if (error) {
        log.warn({ shard, frames, err: error.message }, 'shard write failed');
        callback(status ?? statusError(grpc.status.ABORTED, error.message));
      } else callback(null, { frames, bytes });
    };
    call.on('data', (frame: Uint8Array) => {
      if (finished) return;
      // No row frame is empty (even zero rows encode to one byte): an empty message is the
      // writer saying it aborts, which a cancel alone cannot say (see below).
      if (frame.byteLength === 0) return wentAway();
      const cancelled = jobs.refusalForShard(shard);
      if (cancelled) return finish(new Error(cancelled), statusError(grpc.status.FAILED_PRECONDITION, cancelled));
      if (shards.isStale(shard, writer.epoch)) return; // deleted under the writer: drop
      try {
        shards.store.append(shard, frame);
      } catch (e) {
        // Disk full, or a second writer closed it: the writer must learn its data is not stored.
        finish(new Error(`shard ${shard}: ${(e as Error).message}`), statusError(grpc.status.INTERNAL, `shard ${shard}: ${(e as Error).message}`));
        return;
      }
      frames++;
      bytes += frame.byteLength;
    });
    // Node's HTTP/2 client cancels a stream by ending it (END_STREAM) and then resetting it, so a
    // cancel first looks like a clean end; a reset already seen, or a 'cancelled' by the next
    // turn of the loop, still counts as the writer going away. A reset arriving later cannot be
    // told apart: writers that abort send an empty frame first.
    call.on('end', () => {
      ended = true;
      if (streamWasReset(call)) wentAway();
      else setImmediate(() => finish());
    });
    call.on('error', wentAway);
    call.on('cancelled', wentAway);
    call.on('close', () => {
      // 'close' without 'end' means the stream was torn down mid-way.
      if (!ended) wentAway();
    });
  }

  function DeleteShards(call: grpc.ServerUnaryCall<DeleteShardsRequest__Output, Empty>, callback: grpc.sendUnaryData<Empty>): void {
    const { shard, prefix, shards: list } = call.request;
    const outOfScope = deleteScopeError(call.request);
    if (outOfScope) return callback(statusError(grpc.status.INVALID_ARGUMENT, outOfScope));
    try {
      if (shard) shards.delete(shard);
      else if (prefix) shards.deletePrefix(prefix);
      else if (list && list.length > 0) for (const name of list) shards.delete(name);
      else return callback(statusError(grpc.status.INVALID_ARGUMENT, 'DeleteShards: give a shard, a list of shards or a non-empty prefix'));
    } catch (e) {
      return callback(statusError(grpc.status.INTERNAL, (e as Error).message));
    }
    log.debug({ shard, prefix, shards: list?.length }, 'shards deleted');
    callback(null, {});
  }

  function CancelJob(call: grpc.ServerUnaryCall<AgentCancelJobRequest__Output, AgentCancelJobResponse>, callback: grpc.sendUnaryData<AgentCancelJobResponse>): void {
    const { jobId, reason } = call.request;
    if (!jobId) return callback(statusError(grpc.status.INVALID_ARGUMENT, 'CancelJob needs a job_id'));
    const prefix = `${jobId}/`;
    // Tasks first: their later writes are then dropped as stale, and their shards cannot come back.
    const tasksCancelled = jobs.cancel(jobId, reason || 'no reason given');
    let shardsDeleted = 0;
    try {
      shardsDeleted = shards.store.stats().shards.filter((s) => s.name.startsWith(prefix)).length;
      shards.deletePrefix(prefix);
    } catch (e) {
      log.warn({ jobId, err: (e as Error).message }, 'deleting the shards of a cancelled job failed');
      return callback(statusError(grpc.status.INTERNAL, `job ${jobId}: deleting its shards failed: ${(e as Error).message}`));
    }
    log.info({ jobId, reason, tasksCancelled, shardsDeleted }, 'job cancelled');
    callback(null, { tasksCancelled, shardsDeleted });
  }

  function Status(_call: grpc.ServerUnaryCall<Empty, AgentStatus>, callback: grpc.sendUnaryData<AgentStatus>): void {
    const st = shards.store.stats();
    callback(null, {
      address: deps.address(),
      executors: pool.size,
      allocated: 0, // slots are the master's books, not the agent's
      busy: pool.busy,
      memoryMb: deps.memoryMb,
      shardMemoryBytes: st.memoryBytes,
      spilledBytes: st.spilledBytes,
      shards: st.shards.length,
      lastHeartbeatMs: Date.now(),
      alive: true,
      version: deps.version,
    });
  }

  return { ExecuteTask, ReadShard, ReadShards, ReadParts, WriteShard, DeleteShards, Status, CancelJob } as unknown as grpc.UntypedServiceImplementation;
}
