// Row types through every operator: what must compile (with the exact row type checked) and,
// marked @ts-expect-error, what must not. Type-checked by typecheck.test.ts (tsc --strict).
import { Flow, type Dataset, type ReducedDataset } from '@gleam/flow-dsl';
import { check, type Equal, type RowOf } from './assert';

const flow = new Flow('types');
const lines = flow.textFile('in.txt');
check<Equal<RowOf<typeof lines>, [string]>>();

// ---- narrow operators: the UDF's return value becomes the row ----
const pairs = lines.map((line) => [line, line.length]);
check<Equal<RowOf<typeof pairs>, [string, number]>>();
const one = lines.map((line) => line.length);
check<Equal<RowOf<typeof one>, [number]>>();
// undefined drops the row: it is not part of the row type.
const maybe = lines.map((line) => (line === '' ? undefined : [line, true]));
check<Equal<RowOf<typeof maybe>, [string, boolean]>>();
const nested = pairs.map((w, n) => [w, [n, n], { n }]);
check<Equal<RowOf<typeof nested>, [string, number[], { n: number }]>>();
const words = lines.flatMap((line) => line.split(' '));
check<Equal<RowOf<typeof words>, [string]>>();
const wordPairs = lines.flatMap((line) => line.split(' ').map((w) => [w, 1]));
check<Equal<RowOf<typeof wordPairs>, [string, number]>>();
const kept = pairs.filter((_w, n) => n > 2);
check<Equal<RowOf<typeof kept>, [string, number]>>();
const asyncRows = lines.mapAsync(async (line) => [line, 1]);
check<Equal<RowOf<typeof asyncRows>, [string, number]>>();
const perPartition = pairs.mapPartitions((rows) => {
  let n = 0;
  for (const [, c] of rows) n += c;
  return [n];
});
check<Equal<RowOf<typeof perPartition>, [number]>>();
const picked = pairs.select(2, 1);
check<Equal<RowOf<typeof picked>, [number, string]>>();
// A field past the row's end is null.
const padded = pairs.select(1, 3);
check<Equal<RowOf<typeof padded>, [string, null]>>();
const piped = lines.pipe('sort');
check<Equal<RowOf<typeof piped>, string[]>>();

// @ts-expect-error a field is a string, not a number
lines.map((line: number) => line);
// @ts-expect-error two fields do not fit a one-field row
lines.map((a: string, b: string) => a + b);
// @ts-expect-error the UDF's result is not a row's field list
pairs.map((w, n) => w * n);

// ---- string UDFs: rows of unknown shape, whose fields later UDFs may annotate ----
const untyped = lines.flatMap('(line) => line.split(" ")');
check<Equal<RowOf<typeof untyped>, unknown[]>>();
const retyped = untyped.map((word: string) => [word, 1]);
check<Equal<RowOf<typeof retyped>, [string, number]>>();

// ---- keyed operators ----
const counts = pairs.reduceBy((a, b) => a + b);
check<Equal<RowOf<typeof counts>, [string, number]>>();
// @ts-expect-error the values are numbers
pairs.reduceBy((a: string, b: string) => a + b);
const triples = flow.slices([['a', 'x', 1], ['a', 'y', 2]]);
check<Equal<RowOf<typeof triples>, [string, string, number]>>();
const byTwo = triples.reduceBy((a, b) => a + b, { by: [1, 2] });
check<Equal<RowOf<typeof byTwo>, [string, string, number]>>();
// Several value fields: the value is their array, and the row keeps its fields.
const sums = flow.slices([[1, 2.5, 3.5, 1]]).reduceBy((a, b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
check<Equal<RowOf<typeof sums>, [number, number, number, number]>>();
const bySecond = triples.reduceBy((a: [string, number], b: [string, number]) => [a[0], a[1] + b[1]], { by: 2 });
check<Equal<RowOf<typeof bySecond>, [string, string, number]>>();
const grouped = pairs.groupBy();
check<Equal<RowOf<typeof grouped>, [string, number[]]>>();
const groupedMany = triples.groupBy({ by: [1] });
check<Equal<RowOf<typeof groupedMany>, [string, [string, number][]]>>();
const groupedTwo = triples.groupByKey({ by: [1, 2] });
check<Equal<RowOf<typeof groupedTwo>, [string, string, number[]]>>();
check<Equal<RowOf<ReturnType<typeof pairs.distinct>>, [string, number]>>();
check<Equal<RowOf<ReturnType<typeof pairs.sort>>, [string, number]>>();
check<Equal<RowOf<ReturnType<typeof pairs.top>>, [string, number]>>();
check<Equal<RowOf<ReturnType<typeof pairs.limit>>, [string, number]>>();
check<Equal<RowOf<ReturnType<typeof pairs.partition>>, [string, number]>>();

// ---- joins, coGroup, union ----
const names = flow.slices([['a', 'Ann']]);
const joined = pairs.join(names);
check<Equal<RowOf<typeof joined>, [string, number, string]>>();
const left = pairs.leftOuterJoin(names);
check<Equal<RowOf<typeof left>, [string, number, string | null]>>();
const right = pairs.rightOuterJoin(names);
check<Equal<RowOf<typeof right>, [string, number | null, string]>>();
const full = pairs.fullOuterJoin(names);
check<Equal<RowOf<typeof full>, [string, number | null, string | null]>>();
const flags = flow.slices([['a', 'x', true]]);
const joinedTwo = triples.join(flags, { by: [1, 2] });
check<Equal<RowOf<typeof joinedTwo>, [string, string, number, boolean]>>();
// A source written inline as the argument is inferred from where it goes: rows of unknown shape
// (still usable: later UDFs annotate their fields). Assign it to a variable to keep its row type.
const inline = triples.join(flow.slices([['a', 'x', true]]), { by: [1, 2] });
check<Equal<RowOf<typeof inline>, unknown[]>>();
const hashed = pairs.hashJoin(names);
check<Equal<RowOf<typeof hashed>, [string, number, string]>>();
const cogrouped = pairs.coGroup(names);
check<Equal<RowOf<typeof cogrouped>, [string, number[], string[]]>>();
const crossed = pairs.cartesian(names);
check<Equal<RowOf<typeof crossed>, [string, number, string, string]>>();
const all = pairs.union(pairs, flow.slices([['b', 2]]));
check<Equal<RowOf<typeof all>, [string, number]>>();
// @ts-expect-error union needs rows of the same type
pairs.union(names);
// A typed join result flows on without casts.
joined.map((key, n, name) => `${key}:${n.toFixed(1)}:${name.toUpperCase()}`);

// ---- actions ----
async function actions(): Promise<void> {
  const rows: [string, number][] = await pairs.collect();
  const first: [string, number] = await pairs.first();
  const some: [string, number][] = await pairs.take(2);
  const n: number = await pairs.count();
  const byKey: Map<string, number> = await pairs.countByKey();
  const byValue: Map<number, number> = await one.countByValue();
  const total: number = await one.reduce((a, b) => a + b);
  const reduced: ReducedDataset<[number]> = one.reduce((a, b) => a + b);
  const pair = await pairs.reduce((a, b) => (a[1] > b[1] ? a : b));
  check<Equal<typeof pair, [string, number]>>();
  await pairs.forEach((w, c) => void `${w.length + c}`);
  const asMap: Map<string, number> = await pairs.collectAsMap();
  const looked: number[] = await pairs.lookup('a');
  const agg: { n: number } = await one.aggregate({ n: 0 }, (acc, v) => ({ n: acc.n + v }), (a, b) => ({ n: a.n + b.n }));
  const folded: number = await one.fold(0, (a, b) => a + b);
  const max: number = await one.max();
  const ordered: [string, number][] = await pairs.takeOrdered(3);
  // @ts-expect-error collect gives rows, not values
  const wrong: string[] = await lines.collect();
  void [rows, first, some, n, byKey, byValue, total, reduced, asMap, looked, agg, folded, max, ordered, wrong];
}
void actions;

// ---- Spark's pair and RDD helpers ----
check<Equal<RowOf<ReturnType<typeof pairs.keys>>, [string]>>();
check<Equal<RowOf<ReturnType<typeof triples.values>>, [string, number]>>();
const doubled = pairs.mapValues((n) => n * 2);
check<Equal<RowOf<typeof doubled>, [string, number]>>();
const keyed = lines.keyBy((line) => line.length);
check<Equal<RowOf<typeof keyed>, [number, string]>>();
const averaged = pairs.aggregateByKey({ sum: 0, n: 0 }, (acc, v) => ({ sum: acc.sum + v, n: acc.n + 1 }), (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }));
check<Equal<RowOf<typeof averaged>, [string, { sum: number; n: number }]>>();
const combined = pairs.combineByKey((v) => [v, 1], (c, v) => [c[0] + v, c[1] + 1], (a, b) => [a[0] + b[0], a[1] + b[1]]);
check<Equal<RowOf<typeof combined>, [string, [number, number]]>>();
const indexed = pairs.zipWithIndex();
check<Equal<RowOf<typeof indexed>, [string, number, number]>>();
const zipped = pairs.zip(lines);
check<Equal<RowOf<typeof zipped>, [string, number, string]>>();
check<Equal<RowOf<ReturnType<typeof one.glom>>, [number[]]>>();
const splits: Dataset<[string, number]>[] = pairs.randomSplit([1, 1]);
void splits;

// ---- sources ----
check<Equal<RowOf<ReturnType<typeof flow.ints>>, [number]>>();
const values = flow.parallelize([1, 2, 3]);
check<Equal<RowOf<typeof values>, [number]>>();
const parallelRows = flow.parallelize([['a', 1]]);
check<Equal<RowOf<typeof parallelRows>, [string, number]>>();
const csv = flow.csv('in.csv');
check<Equal<RowOf<typeof csv>, string[]>>();
// Rows of unknown width: their UDFs may name their fields' types.
csv.map((name: string, age: string) => [name, Number(age)]);

// A Dataset with known rows is still a Dataset of rows in general.
function countAny(ds: Dataset<unknown[]>): Promise<number> {
  return ds.count();
}
void countAny(pairs);

// ---- `by` not known at compile time: rows of unknown shape, not a wrong shape ----
const keyFieldsVar: number[] = [1, 2];
const byVar = triples.reduceBy((a, b) => a + b, { by: keyFieldsVar });
check<Equal<RowOf<typeof byVar>, unknown[]>>();
check<Equal<RowOf<ReturnType<typeof triples.groupBy<number[]>>>, unknown[]>>();
const joinVar = triples.join(flags, { by: keyFieldsVar });
check<Equal<RowOf<typeof joinVar>, unknown[]>>();
const foldedByKey = pairs.foldByKey(0, (a, b) => a + b);
check<Equal<RowOf<typeof foldedByKey>, [string, number]>>();
const expanded = pairs.flatMapValues((n) => [n, n + 1]);
check<Equal<RowOf<typeof expanded>, [string, number]>>();
const combinedVar = triples.aggregateByKey(0, (acc: number, v: unknown) => acc + Number(v), (a, b) => a + b, { by: keyFieldsVar });
check<Equal<RowOf<typeof combinedVar>, unknown[]>>();

// ---- single values: widened one-field rows ----
const ones = lines.map(() => 1);
check<Equal<RowOf<typeof ones>, [number]>>();
void ones.reduce((a, b) => a + b);
const nullable = lines.map((l) => (l === '' ? null : l.length));
check<Equal<RowOf<typeof nullable>, [number | null]>>();
const parsed = lines.map((l): unknown => JSON.parse(l));
check<Equal<RowOf<typeof parsed>, [unknown]>>();
const anyRows = lines.map((l) => JSON.parse(l));
check<Equal<RowOf<typeof anyRows>, unknown[]>>();
