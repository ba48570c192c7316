// Streaming word count: lines read from a TCP server are split into words; every batch (1 s)
// prints the batch's own counts, the running totals since the start, and the counts of the last
// 10 batches (a window that slides every batch).
//   nc -lk 9999                                          # in one terminal: type lines here
//   npx ts-node examples/streaming-wordcount.ts [host] [port]
//   gleam run examples/streaming-wordcount.ts [host] [port] [--master host:port]
// Defaults: 127.0.0.1 9999. Environment: BATCH_MS (default 1000), BATCHES (stop after that many
// batches; default: run until Ctrl-C). With GLEAM_MASTER set (or --master) every batch is a job
// on the cluster's agents. Ctrl-C stops gracefully: the lines already received are counted in a
// last batch. While the server is down the socket is tried again every second.
import { Flow, type DStream } from '@gleam/flow-dsl';

const host = process.argv[2] ?? '127.0.0.1';
const port = Number(process.argv[3] ?? 9999);
const batchMs = Number(process.env.BATCH_MS ?? 1000);
const maxBatches = Number(process.env.BATCHES ?? 0);
const WINDOW_BATCHES = 10;
const TOP = 10;

/** Prints a stream's TOP words of every batch on one line: `label: word n, word n, ...`. */
function printTop(label: string, counts: DStream<[string, number]>): void {
  counts.foreachBatch(async (ds) => {
    // top() runs on the executors: only TOP rows come back to the driver, however many words there are.
    const top = await ds.top(TOP, { by: [[2, 'desc'], [1, 'asc']] }).collect();
    process.stdout.write(`${label}: ${top.map(([w, n]) => `${w} ${n}`).join(', ') || '-'}\n`);
  });
}

async function main(): Promise<void> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`port must be an integer from 1 to 65535, got ${process.argv[3]}`);
  if (!Number.isInteger(batchMs) || batchMs < 1) throw new Error(`BATCH_MS must be a positive integer, got ${process.env.BATCH_MS}`);
  if (!Number.isInteger(maxBatches) || maxBatches < 0) throw new Error(`BATCHES must be a whole number (0: until Ctrl-C), got ${process.env.BATCHES}`);
  const flow = new Flow('streaming word count');
  const ssc = flow.streaming({ batchMs });

  const words = ssc
    .socketTextStream(host, port)
    .flatMap((line: string) => line.toLowerCase().split(/[^a-z]+/).filter(Boolean))
    .map((word: string) => [word, 1]);

  // This batch only: an ordinary reduceByKey, run on every batch. print() is Spark's format.
  words.reduceByKey((a: number, b: number) => a + b).print(TOP);

  // Since the start: one total per word, kept in the executors' shard stores between batches.
  const totals = words.updateStateByKey((ones: number[], total: number | undefined) => ones.reduce((a, b) => a + b, total ?? 0));
  printTop('total', totals);

  // The last WINDOW_BATCHES batches, every batch. With an inverse, each window is the previous one
  // plus the batch that entered minus the one that left (2 batches of work, not 10); the filter
  // drops words whose count fell back to 0.
  const recent = words.reduceByKeyAndWindow((a: number, b: number) => a + b, WINDOW_BATCHES * batchMs, batchMs, {
    inverse: (a: number, b: number) => a - b,
    filter: (_word: string, n: number) => n > 0,
  });
  printTop(`last ${(WINDOW_BATCHES * batchMs) / 1000} s`, recent);

  // A graceful stop first stops receiving, then counts what was received in a last batch.
  let done = 0;
  ssc.on('batch', () => {
    if (++done === maxBatches) void ssc.stop({ graceful: true });
  });
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130); // a second Ctrl-C: out at once
      interrupted = true;
      void ssc.stop({ graceful: true });
    });
  }

  await ssc.start();
  process.stderr.write(`reading lines from ${host}:${port}, batches of ${batchMs} ms (Ctrl-C stops)\n`);
  try {
    await ssc.awaitTermination();
  } finally {
    await flow.close();
  }
}

main().catch((e) => {
  process.stderr.write(`streaming-wordcount: ${(e as Error).message}\n`);
  process.exit(1);
});
