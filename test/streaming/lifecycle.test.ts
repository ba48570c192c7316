// Stopping a stream: a graceful stop asked for from a 'batch' listener still processes every row
// received; a script that handles SIGINT itself gets a graceful stop even when the signal lands
// in the middle of a batch's job (the driver leaves the signal to the script).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { Flow } from '@gleam/flow-dsl';
import { repoRoot } from '../helpers/runNode';
import { sleep, waitFor } from './helpers';

jest.setTimeout(60000);

test("stop({ graceful: true }) from a 'batch' listener processes every row received before it", async () => {
  const flow = new Flow('graceful from listener');
  const ssc = flow.streaming({ batchMs: 200, executors: 1 });
  let pushed = 0;
  let timer: NodeJS.Timeout | undefined;
  let processed = 0;
  ssc
    .receiverStream({
      onStart(push) {
        timer = setInterval(() => {
          if (push(pushed)) pushed++;
        }, 10);
      },
      onStop() {
        clearInterval(timer);
      },
    })
    .foreachBatch(async (ds) => {
      processed += await ds.count();
      await sleep(150);
    });
  let n = 0;
  ssc.on('batch', () => void (++n === 3 && ssc.stop({ graceful: true })));
  await ssc.start();
  try {
    expect(await ssc.awaitTerminationOrTimeout(20000)).toBe(true);
  } finally {
    await ssc.stop();
    clearInterval(timer);
    await flow.close();
  }
  expect(pushed).toBeGreaterThan(20);
  expect(processed).toBe(pushed);
  expect(n).toBeGreaterThanOrEqual(4);
});

test('SIGINT handled by the script in the middle of a batch job: the batch finishes, the stream stops gracefully', async () => {
  const proc = spawn(process.execPath, [path.join(repoRoot, 'test', 'fixtures', 'streaming-sigint.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => lines.push(...s.split('\n').filter(Boolean)));
  proc.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  try {
    // The second batch's job is running (its pipe sleeps 400 ms): interrupt it.
    await waitFor(() => lines.filter((l) => l.startsWith('start ')).length === 2, 'the second batch to start', 20000);
    await sleep(100);
    proc.kill('SIGINT');
    expect(await Promise.race([exited, sleep(20000).then(() => 'timeout')])).toBe(0);
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  }
  expect(lines).toContain('terminated');
  expect(lines.some((l) => l.startsWith('failed'))).toBe(false);
  // The interrupted batch finished with its rows.
  const second = lines.filter((l) => l.startsWith('start '))[1].split(' ')[1];
  expect(lines).toContain(`done ${second} 1`);
  expect(err).not.toMatch(/cancel/);
});
