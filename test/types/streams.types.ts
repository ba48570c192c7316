// Row types through DStream operators: the same shapes as on a Dataset, per batch.
import { Flow, type DStream } from '@gleam/flow-dsl';
import { check, type Equal } from './assert';

type StreamRow<S> = S extends DStream<infer R> ? R : never;

const ssc = new Flow('streams').streaming({ batchMs: 100 });
const lines = ssc.socketTextStream('127.0.0.1', 9999);
check<Equal<StreamRow<typeof lines>, [string]>>();
const words = lines.flatMap((line) => line.split(' ')).map((w) => [w, 1]);
check<Equal<StreamRow<typeof words>, [string, number]>>();
const counts = words.reduceByKey((a, b) => a + b);
check<Equal<StreamRow<typeof counts>, [string, number]>>();
const grouped = words.groupBy();
check<Equal<StreamRow<typeof grouped>, [string, number[]]>>();
const totals = words.updateStateByKey((ones, total: number | undefined) => ones.reduce((a, b) => a + b, total ?? 0));
check<Equal<StreamRow<typeof totals>, [string, number]>>();
const windowed = words.reduceByKeyAndWindow((a, b) => a + b, 1000, 100, { inverse: (a, b) => a - b, filter: (word, n) => word !== '' && n > 0 });
check<Equal<StreamRow<typeof windowed>, [string, number]>>();
const joined = counts.join(ssc.flow.slices([['a', true]]));
check<Equal<StreamRow<typeof joined>, unknown[]>>();
const flags = ssc.flow.slices([['a', true]]);
const joinedTyped = counts.leftOuterJoin(flags);
check<Equal<StreamRow<typeof joinedTyped>, [string, number, boolean | null]>>();
const byValue = lines.countByValue();
check<Equal<StreamRow<typeof byValue>, [string, number]>>();
const untyped = lines.map('(line) => [line, line.length]');
check<Equal<StreamRow<typeof untyped>, unknown[]>>();
const all = words.union(words);
check<Equal<StreamRow<typeof all>, [string, number]>>();

counts.foreachBatch(async (ds) => {
  const rows: [string, number][] = await ds.collect();
  void rows;
});

// @ts-expect-error the values are numbers
words.reduceByKey((a: string, b: string) => a + b);
// @ts-expect-error union needs streams of the same rows
words.union(lines);
