// A custom receiver: follows a web server's access log as it grows (`tail -F`, run as a child
// process of the driver) and counts every batch's requests by HTTP status code.
//   npx ts-node examples/custom-receiver.ts <access-log>
//   gleam run examples/custom-receiver.ts /var/log/nginx/access.log [--master host:port]
// Lines in the Common or Combined Log Format (`... "GET /a HTTP/1.1" 200 512 ...`) are counted,
// other lines skipped. Only lines written after the start are read; tail -F follows the file by
// name, across log rotation. Needs GNU tail. Environment: BATCH_MS (default 1000), BATCHES (stop
// after that many batches; default: until Ctrl-C), MAX_BUFFERED (lines held for the next batch
// before reading pauses; default 100000).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import { Flow, type Receiver } from '@gleam/flow-dsl';

const file = process.argv[2];
const batchMs = Number(process.env.BATCH_MS ?? 1000);
const maxBatches = Number(process.env.BATCHES ?? 0);
const maxBuffered = Number(process.env.MAX_BUFFERED ?? 100_000);

/** The lines appended to `path` from now on, one row [line] each. The receiver runs in the driver. */
function tailFile(path: string): Receiver {
  let tail: ChildProcess | undefined;
  return {
    async onStart(push) {
      // Start at the file's current end (-c +N is 1-based): no old line, and none lost in between.
      let from = 1;
      try {
        from = fs.statSync(path).size + 1;
      } catch {
        // Not there yet: tail -F waits for it and reads it from its start.
      }
      // --pid: tail also ends if this driver dies without calling onStop.
      tail = spawn('tail', ['-F', '-c', `+${from}`, `--pid=${process.pid}`, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      await once(tail, 'spawn'); // no `tail`: start() fails with the reason
      const out = tail.stdout!.setEncoding('utf8');
      let partial = '';
      out.on('data', (chunk: string) => {
        const lines = (partial + chunk).split('\n');
        partial = lines.pop()!; // the start of a line whose newline has not come yet
        if (lines.length === 0) return;
        // false: maxBufferedRecords lines wait for a batch. Stop reading until there is room; the
        // pipe then fills up and tail blocks, so the pressure reaches the source, not the heap.
        if (!push(lines.map((line) => [line]))) {
          out.pause();
          void push.whenRoom().then(() => {
            if (!push.stopped) out.resume();
          });
        }
      });
    },
    onStop() {
      tail?.kill();
    },
  };
}

async function main(): Promise<void> {
  if (!file) throw new Error('usage: custom-receiver.ts <access-log>');
  if (!Number.isInteger(batchMs) || batchMs < 1) throw new Error(`BATCH_MS must be a positive integer, got ${process.env.BATCH_MS}`);
  if (!Number.isInteger(maxBatches) || maxBatches < 0) throw new Error(`BATCHES must be a whole number (0: until Ctrl-C), got ${process.env.BATCHES}`);
  const flow = new Flow('access log');
  const ssc = flow.streaming({ batchMs, maxBufferedRecords: maxBuffered });

  ssc
    .receiverStream<[string]>(tailFile(file))
    // UDFs run on the executors and see only their arguments: the pattern is written inside.
    .map((line: string) => /^\S+ \S+ \S+ \[[^\]]*\] "[^"]*" (\d{3}) /.exec(line)?.[1]) // undefined: no row
    .countByValue()
    .print();

  let done = 0;
  ssc.on('batch', () => {
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
  process.stderr.write(`following ${file}, batches of ${batchMs} ms (Ctrl-C stops)\n`);
  try {
    await ssc.awaitTermination();
  } finally {
    await flow.close();
  }
}

main().catch((e) => {
  process.stderr.write(`custom-receiver: ${(e as Error).message}\n`);
  process.exit(1);
});
