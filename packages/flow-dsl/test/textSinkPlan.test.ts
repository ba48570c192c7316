// The planner lets tasks write a text-file sink's shards as TSV text only when nothing else can
// read those shards; the files must be the same either way.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DriverSink } from '@gleam/driver';
import type { TaskGroupSpec } from '@gleam/executor';
import { Flow } from '../src/flow';
import type { Dataset } from '../src/dataset';
import { resolveOptions } from '../src/options';
import { planFlow, type SinkRequest } from '../src/planner/planFlow';

function textRequest(ds: Dataset<any>, made: boolean[]): SinkRequest {
  return {
    node: ds.node,
    name: 'SaveAsTextFile',
    acceptsText: true,
    make(parts, text): DriverSink {
      made.push(text);
      return { step: 's', parts, consume() {}, ...(text ? { consumeText() {} } : {}) };
    },
  };
}

function textOutputs(taskGroups: TaskGroupSpec[]): number {
  return taskGroups.filter((t) => t.output.kind === 'shard' && t.output.text === 'tsv').length;
}

describe('text output for saveAsTextFile', () => {
  const opts = resolveOptions({ executors: 2 });

  test('rows from driver memory travel in tasks, which write them as text', () => {
    const f = new Flow('t');
    const made: boolean[] = [];
    const { plan } = planFlow('t', [textRequest(f.ints([1, 2], 2), made)], opts);
    expect(made).toEqual([true]);
    expect(textOutputs(plan.taskGroups)).toBe(2);
  });

  test('a task-written dataset read only by the text sink is written as text by its tasks', () => {
    const f = new Flow('t');
    const ds = f.ints([1, 2, 3, 4], 2).map((n: number) => [n, n * 2]);
    const made: boolean[] = [];
    const { plan } = planFlow('t', [textRequest(ds, made)], opts);
    expect(made).toEqual([true]);
    expect(textOutputs(plan.taskGroups)).toBe(2);
    expect(plan.sinks[0].consumeText).toBeDefined();
  });

  test('not when the shards come straight from a driver-side source, when another sink reads the dataset, or when it is cached', () => {
    const f = new Flow('t');
    const fromDriver = f.source(function* () {
      yield 1;
    });
    const shared = f.ints([1, 2], 2).map((n: number) => n + 1);
    const cached = f.ints([1, 2], 2).map((n: number) => n + 1).cache();
    const made: boolean[] = [];
    const cacheView = { prefix: 'cache/f1/', shardsOf: () => undefined };
    const { plan } = planFlow('t', [textRequest(fromDriver, made), textRequest(shared, made), textRequest(shared, made), textRequest(cached, made)], opts, cacheView);
    expect(made).toEqual([false, false, false, false]);
    expect(textOutputs(plan.taskGroups)).toBe(0);
  });

  test('written as text or as rows, the part files are identical', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-text-sink-'));
    try {
      const rows: unknown[][] = [['a', 1, true], ['b', 2.5, null], ['c', 3n, { k: [1] }], ['d'], ['e', 'tab\tin'], ['f', ''], [], ['ü€😀', new Uint8Array([104, 105])]];
      const f = new Flow('save both ways');
      const viaTask = f.slices(rows, 3).map((...r: unknown[]) => r);
      viaTask.saveAsTextFile(path.join(dir, 'text'));
      const shared = f.slices(rows, 3).map((...r: unknown[]) => r);
      shared.saveAsTextFile(path.join(dir, 'rows'));
      shared.saveAsTextFile(path.join(dir, 'rows-again'));
      await f.run({ executors: 2 });
      for (const p of ['part-00000', 'part-00001', 'part-00002']) {
        const text = fs.readFileSync(path.join(dir, 'text', p), 'utf8');
        expect(fs.readFileSync(path.join(dir, 'rows', p), 'utf8')).toBe(text);
        expect(fs.readFileSync(path.join(dir, 'rows-again', p), 'utf8')).toBe(text);
      }
      expect(fs.readFileSync(path.join(dir, 'text', 'part-00002'), 'utf8')).toBe('f\t\n\n\u00fc\u20ac\ud83d\ude00\thi\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
