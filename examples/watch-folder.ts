// Word counts of the files dropped into a folder: every batch takes the files that appeared since
// the last one, saves their word counts as a directory OUT-DIR/counts-<batch time> and prints a
// line with the running totals. With a checkpoint directory a restart resumes where the last run
// stopped (or crashed): files already counted are not read again, the totals go on, and files
// that arrived in the meantime are counted in the first batch.
//   npx ts-node examples/watch-folder.ts <watch-dir> <out-dir> [checkpoint-dir]
//   gleam run examples/watch-folder.ts <watch-dir> <out-dir> [checkpoint-dir] [--master host:port]
// Put files in whole: write them elsewhere and `mv` them in (a file is read once, as it is when
// the folder is listed); names starting with '.' or '_' are skipped, and files already there at
// the first start are left alone. Environment: BATCH_MS (default 2000), BATCHES (stop after that
// many batches; default: run until Ctrl-C, which finishes the batches already taken).
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';

const [watchDir, outDir, checkpoint] = process.argv.slice(2);
const batchMs = Number(process.env.BATCH_MS ?? 2000);
const maxBatches = Number(process.env.BATCHES ?? 0);
const TOP = 10;

async function main(): Promise<void> {
  if (!watchDir || !outDir) throw new Error('usage: watch-folder.ts <watch-dir> <out-dir> [checkpoint-dir]');
  if (!Number.isInteger(batchMs) || batchMs < 1) throw new Error(`BATCH_MS must be a positive integer, got ${process.env.BATCH_MS}`);
  if (!Number.isInteger(maxBatches) || maxBatches < 0) throw new Error(`BATCHES must be a whole number (0: until Ctrl-C), got ${process.env.BATCHES}`);
  const flow = new Flow('watch folder');
  // The checkpoint holds the names already taken, the batch in flight and the totals: enough to resume.
  const ssc = flow.streaming({ batchMs, ...(checkpoint ? { checkpoint } : {}) });

  const counts = ssc
    .textFileStream(watchDir)
    .flatMap((line: string) => line.toLowerCase().split(/[^a-z]+/).filter(Boolean))
    .map((word: string) => [word, 1])
    .reduceByKey((a: number, b: number) => a + b);

  // One directory per batch, renamed in whole: a reader never sees half a batch, and a batch run
  // again after a crash replaces its directory instead of adding a second one.
  counts.saveAsTextFiles(path.join(outDir, 'counts'));

  // The totals are state: rows [word, total] kept by the executors, and saved with the checkpoint.
  const totals = counts.updateStateByKey((news: number[], total: number | undefined) => news.reduce((a, b) => a + b, total ?? 0));
  let top = '';
  totals.foreachBatch(async (ds) => {
    const rows = await ds.top(TOP, { by: [[2, 'desc'], [1, 'asc']] }).collect();
    top = rows.map(([w, n]) => `${w} ${n}`).join(', ');
  });

  // After each batch: a line when it took files (or was run again after a restart).
  let done = 0;
  ssc.on('batch', (info) => {
    const files = info.inputs[0].files ?? 0; // a file stream reports files, not records
    if (files > 0 || info.replayed) {
      const saved = path.join(outDir, `counts-${info.timeMs}`);
      process.stdout.write(`${new Date(info.timeMs).toISOString()}  ${files} new file${files === 1 ? '' : 's'}${info.replayed ? ' (replayed)' : ''} -> ${saved}  totals: ${top}\n`);
    }
    if (++done === maxBatches) void ssc.stop({ graceful: true });
  });
  let interrupted = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) process.exit(130);
      interrupted = true;
      void ssc.stop({ graceful: true });
    });
  }

  await ssc.start();
  process.stderr.write(`watching ${path.resolve(watchDir)} every ${batchMs} ms${checkpoint ? `, checkpoint in ${path.resolve(checkpoint)}` : ''} (Ctrl-C stops)\n`);
  try {
    await ssc.awaitTermination();
  } finally {
    await flow.close();
  }
}

main().catch((e) => {
  process.stderr.write(`watch-folder: ${(e as Error).message}\n`);
  process.exit(1);
});
