// A task's accumulators: markers in UDF params become local accumulators (the spec is never
// changed), additions fold into one partial per accumulator, and the partials travel as bytes.
import { findUncarryable } from '../src/codec/carryable';
import type { InstructionSpec } from '../src/plan/taskSpec';
import { decodePartials, encodePartials } from '../src/udf/accumulatorMarker';
import { LocalAccumulator, TaskAccumulators } from '../src/udf/accumulators';

const marker = (id: number, kind: 'number' | 'bigint' | 'merge', merge?: string) => ({ __gleamAccumulator: { id, kind, merge } });

test('bind replaces markers (the same id twice is one local accumulator), copies what it changes, leaves the rest shared', () => {
  const big = { table: [1, 2, 3] };
  const spec: InstructionSpec[] = [
    { op: 'map', step: 'map#1', udf: { source: '(x) => x', params: { acc: marker(1, 'number'), big } } },
    { op: 'select', step: 'select#2', fields: [1] },
    { op: 'reduceByKey', step: 'r#3', key: [0], udf: { source: '(a, b) => a + b', params: { deep: [{ acc: marker(1, 'number') }] } } },
  ];
  const before = JSON.stringify(spec);
  const accs = new TaskAccumulators();
  const bound = accs.bind(spec);
  expect(JSON.stringify(spec)).toBe(before);
  const p0 = (bound[0] as { udf: { params: { acc: LocalAccumulator; big: unknown } } }).udf.params;
  const p2 = (bound[2] as { udf: { params: { deep: { acc: LocalAccumulator }[] } } }).udf.params;
  expect(p0.acc).toBeInstanceOf(LocalAccumulator);
  expect(p2.deep[0].acc).toBe(p0.acc);
  expect(p0.big).toBe(big);
  expect(bound[1]).toBe(spec[1]);
  p0.acc.add(2);
  p2.deep[0].acc.add(3);
  expect(accs.report()).toEqual({ accumulators: [{ id: 1, value: 5 }] });
});

test('no marker, or no addition: nothing to report, the instructions are the same array', () => {
  const spec: InstructionSpec[] = [{ op: 'map', step: 'map#1', udf: { source: '(x) => x', params: { n: 1 } } }];
  const accs = new TaskAccumulators();
  expect(accs.bind(spec)).toBe(spec);
  expect(accs.report()).toEqual({});
  const unused = new TaskAccumulators();
  unused.bind([{ op: 'map', step: 'map#1', udf: { source: '(x) => x', params: { acc: marker(2, 'number') } } }]);
  expect(unused.report()).toEqual({});
});

test('kinds: bigints add, a merge keeps its own copy of the first value, a wrong type is refused', () => {
  const b = new LocalAccumulator(marker(3, 'bigint').__gleamAccumulator);
  b.add(2n);
  b.add(5n);
  expect(b.partial()).toEqual({ id: 3, value: 7n });
  expect(() => b.add(1)).toThrow('accumulator #3 adds bigints (made without a merge function), but add() got number');
  const m = new LocalAccumulator(marker(4, 'merge', '(a, b) => { for (const k in b) a[k] = (a[k] ?? 0) + b[k]; return a; }').__gleamAccumulator);
  const first = { x: 1 };
  m.add(first);
  m.add({ x: 2, y: 1 });
  expect(first).toEqual({ x: 1 });
  expect(m.partial()).toEqual({ id: 4, value: { x: 3, y: 1 } });
  const bad = new LocalAccumulator(marker(5, 'merge', '(a, b) => new Map()').__gleamAccumulator);
  bad.add(1);
  bad.add(2);
  expect(() => bad.partial()).toThrow("accumulator #5's value is a Map, which cannot travel back to the driver");
});

test('partials round-trip as TaskDone bytes with their types; none is empty', () => {
  expect(encodePartials(undefined)).toHaveLength(0);
  expect(decodePartials(new Uint8Array(0))).toBeUndefined();
  const p = [{ id: 1, value: 3 }, { id: 2, value: 10n }, { id: 3, value: { a: [1, 'x'] } }];
  expect(decodePartials(encodePartials(p))).toEqual(p);
});

test('a handle-like object carrying the marker passes the params check even as a class instance', () => {
  class Handle {
    readonly __gleamAccumulator = { id: 9, kind: 'number' as const };
  }
  expect(findUncarryable({ acc: new Handle() }, 'params')).toBeUndefined();
});
