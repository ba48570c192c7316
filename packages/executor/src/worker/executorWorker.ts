// Entry point of an executor thread: runs task groups, reaching shards through its host.
import { parentPort, workerData } from 'node:worker_threads';
import { defaultTaskMemoryLimits, type TaskMemoryLimits } from '../spill/taskSpills';
import { deserializeError, serializeError, type SerializedError } from '../errors';
import { runTask } from '../task/runTask';
import type { TaskIO } from '../task/taskIO';
import { PROGRESS_MS, WRITE_CREDIT, type HostToWorker, type WorkerToHost } from './messages';

if (!parentPort) throw new Error('executorWorker must run in a worker thread');
const port = parentPort;
const post = (m: WorkerToHost, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
// The host's per-task operator memory budget and spill directory (see ExecutorHost's options).
const limits: TaskMemoryLimits = (workerData as { limits?: TaskMemoryLimits } | undefined)?.limits ?? defaultTaskMemoryLimits();

/** A read stream fed by 'frames' messages, granting credit as frames are consumed. */
class StreamQueue {
  frames: Uint8Array[] = [];
  ended = false;
  error: SerializedError | undefined;
  wake: (() => void) | undefined;
  push(frames: Uint8Array[]): void {
    for (const f of frames) this.frames.push(f);
    this.notify();
  }
  finish(error?: SerializedError): void {
    this.ended = true;
    this.error = error;
    this.notify();
  }
  notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

const streams = new Map<number, StreamQueue>();
let nextStreamId = 1;
let writeCredit = WRITE_CREDIT;
let writeWaiters: (() => void)[] = [];
const controllers = new Map<number, AbortController>();

const io: TaskIO = {
  async *read(shards: readonly string[], signal: AbortSignal, section?: number) {
    const id = nextStreamId++;
    const q = new StreamQueue();
    streams.set(id, q);
    const onAbort = () => q.notify();
    signal.addEventListener('abort', onAbort);
    post({ type: 'openRead', streamId: id, shards, section });
    let done = false;
    try {
      for (;;) {
        if (signal.aborted) throw new Error('task cancelled');
        if (q.frames.length > 0) {
          const batch = q.frames;
          q.frames = [];
          for (const f of batch) yield f;
          post({ type: 'credit', streamId: id, frames: batch.length });
          continue;
        }
        if (q.ended) {
          done = true;
          if (q.error) throw deserializeError(q.error);
          return;
        }
        await new Promise<void>((resolve) => (q.wake = resolve));
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      streams.delete(id);
      if (!done) post({ type: 'cancelRead', streamId: id });
    }
  },
  write(shard: string, frame: Uint8Array, section?: number) {
    writeCredit--;
    const buf = frame.buffer as ArrayBuffer;
    const own = frame.byteOffset === 0 && frame.byteLength === buf.byteLength;
    post(section === undefined ? { type: 'write', shard, frame } : { type: 'write', shard, frame, section }, own ? [buf] : undefined);
    if (writeCredit > 0) return;
    return new Promise<void>((resolve) => writeWaiters.push(resolve));
  },
  closeShard(shard: string, error?: SerializedError) {
    post({ type: 'closeShard', shard, error });
  },
};

port.on('message', (m: HostToWorker) => {
  switch (m.type) {
    case 'run': {
      const ac = new AbortController();
      controllers.set(m.taskId, ac);
      // Reported as batches are counted (a busy task may not yield for seconds, so a timer alone
      // would not do): at most every PROGRESS_MS, the first one PROGRESS_MS after the start (a
      // short task sends none), and a count that came too soon goes out a little later.
      let lastReportMs = Date.now();
      let trailing: NodeJS.Timeout | undefined;
      let done = false;
      const report = () => {
        trailing = undefined;
        if (done) return;
        lastReportMs = Date.now();
        post({ type: 'taskProgress', taskId: m.taskId, rowsIn: counters.rowsIn });
      };
      const counters = {
        rowsIn: 0,
        onRows() {
          if (Date.now() - lastReportMs >= PROGRESS_MS) report();
          else trailing ??= setTimeout(report, PROGRESS_MS);
        },
      };
      runTask(m.spec, io, ac.signal, counters, limits).then(
        (stats) => post({ type: 'taskDone', taskId: m.taskId, stats }),
        (e) => post({ type: 'taskFailed', taskId: m.taskId, error: serializeError(e) }),
      ).finally(() => {
        done = true;
        if (trailing) clearTimeout(trailing);
        controllers.delete(m.taskId);
      });
      break;
    }
    case 'cancel':
      controllers.get(m.taskId)?.abort();
      break;
    case 'frames':
      streams.get(m.streamId)?.push(m.frames);
      break;
    case 'streamEnd':
      streams.get(m.streamId)?.finish(m.error);
      break;
    case 'writeAck': {
      writeCredit += m.count;
      if (writeCredit > 0) {
        const ws = writeWaiters;
        writeWaiters = [];
        for (const w of ws) w();
      }
      break;
    }
  }
});

post({ type: 'ready' });
