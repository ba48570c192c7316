// Lost work runs again, locally: an executor thread that dies takes its task with it, and the
// task runs again on a new thread (up to maxTaskAttempts); a UDF that throws or a pipe that
// exits non-zero is not retried.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Flow, type JobEvent } from '@gleam/flow-dsl';
import { range, sorted, tempDir } from './helpers';

jest.setTimeout(60000);

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('retries')));
afterEach(() => cleanup());

const lines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);

test('a task whose executor thread dies runs again on a new thread: exact rows, attempt 2 in the events', async () => {
  const marker = path.join(dir, 'died-once');
  const events: JobEvent[] = [];
  // Partition 1's first attempt ends its thread (process.exit in a worker ends the worker).
  const rows = await new Flow('thread dies')
    .ints(range(20), 2)
    .map('(x) => { const fs = require("fs"); if (x === 15 && !fs.existsSync(params.marker)) { fs.writeFileSync(params.marker, ""); process.exit(3); } return [x % 4, x]; }', { params: { marker } })
    .reduceBy((a: number, b: number) => a + b)
    .collect({ executors: 2, onEvent: (e) => events.push(e) });
  expect(sorted(rows)).toEqual(sorted([0, 1, 2, 3].map((k) => [k, range(20).filter((x) => x % 4 === k).reduce((a, b) => a + b, 0)])));
  const retried = events.filter((e) => e.type === 'taskStarted' && e.attempt === 2) as Extract<JobEvent, { type: 'taskStarted' }>[];
  // The map task ran again; a reduce task that was already reading its output started over too.
  expect(retried.map((e) => e.task)).toContain('Ints.1-Map.1-LocalReduceBy.1-ScatterPartitions.1@0');
  for (const e of retried) expect(e.task).toMatch(/^(Ints\.1-Map\.1-LocalReduceBy\.1-ScatterPartitions\.1@0|CollectPartitions\.\d-MergeReduceBy\.\d@1)$/);
  expect(events[events.length - 1]).toMatchObject({ type: 'jobFinished', outcome: 'succeeded' });
});

test('a task that loses its thread every time fails after maxTaskAttempts, saying how often', async () => {
  const tries = path.join(dir, 'tries');
  const run = (maxTaskAttempts?: number) =>
    new Flow('always dies')
      .ints([1, 2, 3], 1)
      .map('(x) => { require("fs").appendFileSync(params.tries, "try\\n"); process.exit(3); }', { params: { tries } })
      .collect({ executors: 1, maxTaskAttempts });
  await expect(run()).rejects.toThrow(/^task group Ints\.0-Map\.0@0 failed 4 times \(run option maxTaskAttempts is 4\); the last time: executor thread 0 exited with code 3 while running task group Ints\.0-Map\.0@0$/);
  expect(lines(tries)).toHaveLength(4);
  fs.rmSync(tries);
  await expect(run(2)).rejects.toThrow('failed 2 times (run option maxTaskAttempts is 2)');
  expect(lines(tries)).toHaveLength(2);
});

test('a UDF that throws fails the job at once: no retry', async () => {
  const calls = path.join(dir, 'calls');
  await expect(
    new Flow('throws')
      .ints([1, 2, 3], 1)
      .map('(x) => { require("fs").appendFileSync(params.calls, x + "\\n"); if (x === 2) throw new Error("no two"); return x; }', { params: { calls } })
      .collect({ executors: 1 }),
  ).rejects.toThrow('the UDF threw Error: no two');
  expect(lines(calls)).toEqual(['1', '2']);
});

test('a pipe command that exits non-zero fails the job at once: no retry', async () => {
  const calls = path.join(dir, 'pipe-calls');
  await expect(
    new Flow('pipe exits')
      .strings(['a', 'b'], 1)
      .pipe(`cat >/dev/null; echo run >> '${calls}'; exit 3`)
      .collect({ executors: 2 }),
  ).rejects.toThrow(/exit(ed)? (with )?(code |status )?3/);
  expect(lines(calls)).toEqual(['run']);
});

test('maxTaskAttempts must be a positive integer', async () => {
  await expect(new Flow('bad').ints([1]).count({ maxTaskAttempts: 0 })).rejects.toThrow('run: maxTaskAttempts must be a positive integer, got 0');
});
