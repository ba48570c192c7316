// Shared helpers of the streaming tests: run a stream until n batches are done and collect what
// each output saw, batch by batch.
import * as net from 'node:net';
import { Flow, type BatchInfo, type DStream, type StreamingContext, type StreamingOptions } from '@gleam/flow-dsl';
import { sorted } from '../operators/helpers';
import { waitFor as waitUntil } from '../helpers/processes';

export { sorted };

export interface Collected {
  /** Output name -> per batch (in order): [timeMs, rows sorted]. */
  outputs: Record<string, [number, unknown[][]][]>;
  batches: BatchInfo[];
  ssc: StreamingContext;
}

/**
 * Builds a stream on a fresh Flow, collects every output's rows per batch (sorted: the order of
 * rows is not defined), stops gracefully once `batches` batches were processed.
 */
export async function collectBatches(
  opts: Omit<StreamingOptions, 'batchMs'> & { batchMs?: number },
  build: (ssc: StreamingContext) => Record<string, DStream<any>>,
  batches: number,
  timeoutMs = 30000,
): Promise<Collected> {
  const flow = new Flow('stream test');
  const ssc = flow.streaming({ batchMs: 100, executors: 2, ...opts });
  const outputs: Collected['outputs'] = {};
  for (const [name, stream] of Object.entries(build(ssc))) {
    outputs[name] = [];
    stream.foreachBatch(async (ds, timeMs) => {
      outputs[name].push([timeMs, sorted(await ds.collect())]);
    });
  }
  const infos: BatchInfo[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  ssc.on('batch', (i) => {
    infos.push(i);
    if (infos.length === batches) resolveDone();
  });
  await ssc.start();
  const timer = setTimeout(() => resolveDone(), timeoutMs);
  try {
    await Promise.race([done, ssc.awaitTermination()]);
  } finally {
    clearTimeout(timer);
    await ssc.stop();
    await flow.close();
  }
  if (infos.length < batches) throw new Error(`only ${infos.length} of ${batches} batches were processed in ${timeoutMs} ms`);
  // Batches processed after the n-th (the stop raced them) are cut off.
  for (const k of Object.keys(outputs)) outputs[k] = outputs[k].filter(([t]) => t <= infos[batches - 1].timeMs);
  return { outputs, batches: infos.slice(0, batches), ssc };
}

/** The rows of each batch, without times. */
export function rowsOf(c: Collected, name: string): unknown[][][] {
  return c.outputs[name].map(([, rows]) => rows);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn() is true, or fails naming what it waited for (15 s by default in these tests). */
export function waitFor(fn: () => boolean | Promise<boolean>, what: string, timeoutMs = 15000): Promise<number> {
  return waitUntil(fn, what, timeoutMs, 25);
}

/** A TCP server on a free port; `send` writes to every client. */
export async function lineServer(): Promise<{ port: number; clients: net.Socket[]; send(text: string): void; close(): Promise<void> }> {
  const clients: net.Socket[] = [];
  const server = net.createServer((s) => {
    clients.push(s);
    s.on('error', () => undefined);
    s.on('close', () => clients.splice(clients.indexOf(s), 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    clients,
    send: (text) => {
      for (const c of clients) c.write(text);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of clients) c.destroy();
        server.close(() => r());
      }),
  };
}
