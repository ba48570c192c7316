// Spark conformance: the PySpark rdd.py doctests and the scenarios of Spark's RDDSuite,
// PairRDDFunctionsSuite, DoubleRDDSuite and FileSuite, expressed in this project's API and row
// shapes. Where Spark's order is not defined the case is `unordered` (a sorted multiset);
// where it is (sort, top, takeOrdered, take, zipWithIndex, narrow chains) it is exact.
//
// Row shapes (this project, not Spark): an element x is the row [x]; a pair (k, v) is [k, v];
// join rows are flat [k, leftValue, rightValue]; coGroup rows [k, leftValues[], rightValues[]];
// first() returns a row, take() rows. UDFs are compiled in the executor: they capture nothing,
// values come through { params }.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Flow, type Dataset } from '@gleam/flow-dsl';
import { entries, failure, range, rejected, round, roundAll, type ConformanceCase } from './support';

export type { ConformanceCase } from './support';

/** Inside a UDF, the operator's { params } (the UDF is compiled in the executor). */
declare const params: any;

/** Spark's glom(): one row per partition holding the partition's values (a one-field row's field, else the row). */
function glom(ds: Dataset<any>): Dataset<any> {
  return ds.mapPartitions((rows: Iterable<unknown[]>) => [[Array.from(rows, (r) => (r.length === 1 ? r[0] : r))]]);
}

/** getNumPartitions(): one row per partition (mapPartitions is called for empty partitions too). */
function numPartitions(ds: Dataset<any>, opts: object): Promise<number> {
  return ds.mapPartitions(() => [1]).count(opts);
}

/** The one-field rows' values. */
function vals(rows: unknown[][]): unknown[] {
  return rows.map((r) => r[0]);
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-conformance-'));
}

// Data shared by several PairRDDFunctionsSuite cases.
const PAIRS_1 = [
  [1, 1],
  [1, 2],
  [2, 1],
  [3, 1],
];
const PAIRS_2 = [
  [1, 'x'],
  [2, 'y'],
  [2, 'z'],
  [4, 'w'],
];
const DUP_PAIRS = [
  [1, 1],
  [1, 2],
  [1, 3],
  [1, 1],
  [2, 1],
];
const SORT_TMP = [
  ['a', 1],
  ['b', 2],
  ['1', 3],
  ['d', 4],
  ['2', 5],
];
const SORTED_TMP = [
  ['1', 3],
  ['2', 5],
  ['a', 1],
  ['b', 2],
  ['d', 4],
];

export const cases: ConformanceCase[] = [
  // ---------------------------------------------------------------------------------------
  // parallelize slicing and partitions: rdd.py glom / getNumPartitions / repartition doctests,
  // RDDSuite "basic operations", "repartitioned RDDs", "coalesced RDDs".
  // ---------------------------------------------------------------------------------------
  {
    name: 'parallelize: collect reads the slices in order (RDDSuite basic operations)',
    run: (f, o) => f.parallelize([1, 2, 3, 4], 2).collect(o),
    expected: [[1], [2], [3], [4]],
  },
  {
    name: 'glom: sc.parallelize([1, 2, 3, 4], 2).glom() (rdd.py glom)',
    run: (f, o) => glom(f.parallelize([1, 2, 3, 4], 2)).collect(o),
    expected: [[[1, 2]], [[3, 4]]],
  },
  {
    name: 'glom: 7 values in 4 slices cut like Spark (rdd.py repartition doctest)',
    run: (f, o) => glom(f.parallelize([1, 2, 3, 4, 5, 6, 7], 4)).collect(o),
    expected: [[[1]], [[2, 3]], [[4, 5]], [[6, 7]]],
  },
  {
    name: 'glom: 10 values in 3 slices',
    run: (f, o) => glom(f.parallelize(range(10), 3)).collect(o),
    expected: [[[0, 1, 2]], [[3, 4, 5]], [[6, 7, 8, 9]]],
  },
  {
    name: 'glom: 1000 values in 10 slices of 100, contiguous (RDDSuite repartitioned RDDs)',
    run: (f, o) =>
      glom(f.parallelize(range(1000), 10))
        .map((p: number[]) => [p.length, p[0], p[p.length - 1]])
        .collect(o),
    expected: range(10).map((i) => [100, i * 100, i * 100 + 99]),
  },
  {
    name: 'getNumPartitions: sc.parallelize([1, 2, 3, 4], 2) has 2 (rdd.py getNumPartitions)',
    run: (f, o) => numPartitions(f.parallelize([1, 2, 3, 4], 2), o),
    expected: 2,
  },
  {
    name: 'empty partitions: 2 values in 5 slices; mapPartitions sees every partition',
    run: (f, o) =>
      f
        .parallelize([1, 2], 5)
        .mapPartitions((rows: Iterable<unknown[]>) => [Array.from(rows).length])
        .collect(o),
    expected: [[0], [0], [1], [0], [1]],
  },
  {
    name: 'partitionBy(2): the two partitions share no key (rdd.py partitionBy)',
    run: async (f, o) => {
      const parts = (await glom(
        f
          .parallelize([1, 2, 3, 4, 2, 4, 1])
          .map((x: number) => [x, x])
          .partition(2),
      ).collect(o)) as [unknown[][]][];
      const keySets = parts.map(([rows]) => new Set(rows.map((r) => r[0])));
      const shared = [...keySets[0]].filter((k) => keySets[1].has(k)).length;
      return { partitions: parts.length, shared, rows: parts.reduce((n, [rows]) => n + rows.length, 0) };
    },
    expected: { partitions: 2, shared: 0, rows: 7 },
  },
  {
    name: 'partition(3) gives 3 partitions even with a single key',
    run: (f, o) =>
      numPartitions(
        f
          .parallelize([1, 1, 1], 1)
          .map((x: number) => [x, x])
          .partition(3),
        o,
      ),
    expected: 3,
  },
  {
    name: 'reduceByKey(add, 10) has 10 output partitions (PairRDDFunctionsSuite many output partitions)',
    run: (f, o) => numPartitions(f.slices(DUP_PAIRS).reduceByKey((a: number, b: number) => a + b, { partitions: 10 }), o),
    expected: 10,
  },
  {
    name: 'union keeps the partitions of both sides (RDDSuite SparkContext.union)',
    run: (f, o) => numPartitions(f.parallelize([1, 2], 2).union(f.parallelize([3, 4, 5], 3)), o),
    expected: 5,
  },

  // ---------------------------------------------------------------------------------------
  // Narrow transformations: rdd.py map / flatMap / filter / mapPartitions / pipe doctests,
  // RDDSuite "basic operations". Narrow chains keep order, so these compare exactly.
  // ---------------------------------------------------------------------------------------
  {
    name: 'map: sc.parallelize(["b", "a", "c"]).map(lambda x: (x, 1)) (rdd.py map)',
    run: (f, o) => f.parallelize(['b', 'a', 'c']).map((x: string) => [x, 1]).collect(o),
    expected: [
      ['b', 1],
      ['a', 1],
      ['c', 1],
    ],
  },
  {
    name: 'map: sc.parallelize([1, 2, 3, 4, 5]).map(lambda x: x * 2)',
    run: (f, o) => f.parallelize([1, 2, 3, 4, 5]).map((x: number) => x * 2).collect(o),
    expected: [[2], [4], [6], [8], [10]],
  },
  {
    name: 'map: nums.map(_.toString) (RDDSuite basic operations)',
    run: (f, o) => f.parallelize([1, 2, 3, 4], 2).map((x: number) => String(x)).collect(o),
    expected: [['1'], ['2'], ['3'], ['4']],
  },
  {
    name: 'flatMap: sc.parallelize([2, 3, 4]).flatMap(lambda x: range(1, x)) (rdd.py flatMap)',
    run: (f, o) =>
      f
        .parallelize([2, 3, 4])
        .flatMap((x: number) => Array.from({ length: x - 1 }, (_, i) => i + 1))
        .collect(o),
    expected: [[1], [1], [2], [1], [2], [3]],
  },
  {
    name: 'flatMap: lambda x: [(x, x), (x, x)] (rdd.py flatMap)',
    run: (f, o) =>
      f
        .parallelize([2, 3, 4])
        .flatMap((x: number) => [
          [x, x],
          [x, x],
        ])
        .collect(o),
    expected: [
      [2, 2],
      [2, 2],
      [3, 3],
      [3, 3],
      [4, 4],
      [4, 4],
    ],
  },
  {
    name: 'flatMap: nums.flatMap(x => 1 to x) (RDDSuite basic operations)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .flatMap((x: number) => Array.from({ length: x }, (_, i) => i + 1))
        .collect(o),
    expected: [1, 1, 2, 1, 2, 3, 1, 2, 3, 4].map((x) => [x]),
  },
  {
    name: 'flatMap: an empty iterable drops the element',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3])
        .flatMap((x: number) => (x === 2 ? [] : [x]))
        .collect(o),
    expected: [[1], [3]],
  },
  {
    name: 'filter: sc.parallelize([1, 2, 3, 4, 5]).filter(lambda x: x % 2 == 0) (rdd.py filter)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4, 5])
        .filter((x: number) => x % 2 === 0)
        .collect(o),
    expected: [[2], [4]],
  },
  {
    name: 'filter: nums.filter(_ > 2) (RDDSuite basic operations)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .filter((x: number) => x > 2)
        .collect(o),
    expected: [[3], [4]],
  },
  {
    name: 'collect(partial function): map returning undefined drops the row (RDDSuite basic operations)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .map((x: number) => (x >= 3 ? String(x) : undefined))
        .collect(o),
    expected: [['3'], ['4']],
  },
  {
    name: 'mapPartitions: yield sum(iterator) over [1, 2, 3, 4] in 2 slices (rdd.py mapPartitions)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .mapPartitions((rows: Iterable<number[]>) => {
          let s = 0;
          for (const [x] of rows) s += x;
          return [s];
        })
        .collect(o),
    expected: [[3], [7]],
  },
  {
    name: 'mapPartitions: (count, sum) per partition (RDDSuite partitionSums)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .mapPartitions((rows: Iterable<number[]>) => {
          let s = 0;
          let n = 0;
          for (const [x] of rows) {
            s += x;
            n++;
          }
          return [[n, s]];
        })
        .collect(o),
    expected: [
      [2, 3],
      [2, 7],
    ],
  },
  {
    name: 'map with params (a Spark closure variable travels as params)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3])
        .map((x: number) => x * params.k, { params: { k: 10 } })
        .collect(o),
    expected: [[10], [20], [30]],
  },
  {
    name: 'select reorders fields; a missing field becomes null',
    run: (f, o) => f.slices([[1, 'a', true]]).select(3, 1, 4).collect(o),
    expected: [[true, 1, null]],
  },
  {
    name: 'localLimit: the first 2 rows of each of 2 partitions',
    run: (f, o) => f.parallelize(range(6, 1), 2).localLimit(2).collect(o),
    expected: [[1], [2], [4], [5]],
  },
  {
    name: 'keyBy: nums.keyBy(_.toString) (RDDSuite basic operations)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .keyBy((x: number) => String(x))
        .collect(o),
    expected: [
      ['1', 1],
      ['2', 2],
      ['3', 3],
      ['4', 4],
    ],
  },
  {
    name: "pipe: sc.parallelize(['1', '2', '', '3']).pipe('cat') (rdd.py pipe)",
    run: (f, o) => f.strings(['1', '2', '', '3'], 2).pipe('cat').collect(o),
    expected: [['1'], ['2'], [''], ['3']],
  },
  {
    // This project: fields go to the command tab-separated and come back as string fields.
    name: 'pipe: pair rows travel as tab-separated fields and come back as strings',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [2, 'b'],
        ])
        .pipe('cat')
        .collect(o),
    expected: [
      ['1', 'a'],
      ['2', 'b'],
    ],
  },
  {
    name: 'pipeAsArgs: one command per element with the element as $1',
    run: (f, o) => f.strings(['a', 'b c']).pipeAsArgs('echo "<$1>"').collect(o),
    expected: [['<a>'], ['<b c>']],
  },

  // ---------------------------------------------------------------------------------------
  // Sources and files: FileSuite "text files", textFile / csv / source.
  // ---------------------------------------------------------------------------------------
  {
    name: 'strings(xs) are one-field rows in order',
    run: (f, o) => f.strings(['x', 'y', 'z'], 2).collect(o),
    expected: [['x'], ['y'], ['z']],
  },
  {
    name: 'ints(xs) are one-field rows in order',
    run: (f, o) => f.ints([3, 1, 2]).collect(o),
    expected: [[3], [1], [2]],
  },
  {
    name: 'slices(rows, 2) keeps rows whole and in order',
    run: (f, o) =>
      f
        .slices(
          [
            [1, 'a'],
            [2, 'b'],
            [3, 'c'],
          ],
          2,
        )
        .collect(o),
    expected: [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ],
  },
  {
    name: 'source(async generator): values are one-field rows, arrays are rows',
    run: (f, o) =>
      f
        .source(async function* () {
          yield 1;
          yield 2;
          yield [3, 'c'];
        })
        .collect(o),
    expected: [[1], [2], [3, 'c']],
  },
  {
    name: 'textFile: an empty line is kept, the final newline adds no line (FileSuite text files)',
    run: async (f, o) => {
      const dir = tmpDir();
      try {
        fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\n\nc\n');
        return await f.textFile(path.join(dir, 'in.txt')).collect(o);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    expected: [['a'], ['b'], [''], ['c']],
  },
  {
    name: 'saveAsTextFile: sc.parallelize(1 to 4, 1) writes part-00000 "1\\n2\\n3\\n4\\n" and _SUCCESS (FileSuite text files)',
    run: async (_f, o) => {
      const dir = tmpDir();
      const out = path.join(dir, 'out');
      const flow = new Flow('conformance save');
      try {
        await flow.parallelize([1, 2, 3, 4], 1).saveAsTextFile(out).run(o);
        return { files: fs.readdirSync(out).sort(), content: fs.readFileSync(path.join(out, 'part-00000'), 'utf8') };
      } finally {
        await flow.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    expected: { files: ['_SUCCESS', 'part-00000'], content: '1\n2\n3\n4\n' },
  },
  {
    name: 'saveAsTextFile then textFile(dir): pairs round-trip as tab-separated lines',
    run: async (f, o) => {
      const dir = tmpDir();
      const out = path.join(dir, 'out');
      const flow = new Flow('conformance save pairs');
      try {
        await flow
          .slices(
            [
              ['a', 1],
              ['b', 2],
              ['c', 3],
            ],
            3,
          )
          .saveAsTextFile(out)
          .run(o);
        return await f.textFile(out).collect(o);
      } finally {
        await flow.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    expected: [['a\t1'], ['b\t2'], ['c\t3']],
    unordered: true,
  },
  {
    name: 'csv with header: quoted delimiter, one string field per column',
    run: async (f, o) => {
      const dir = tmpDir();
      try {
        fs.writeFileSync(path.join(dir, 'in.csv'), 'name,n\nx,1\n"a,b",2\n');
        return await f.csv(path.join(dir, 'in.csv'), { header: true }).collect(o);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    expected: [
      ['x', '1'],
      ['a,b', '2'],
    ],
  },

  // ---------------------------------------------------------------------------------------
  // Actions: rdd.py count / first / take / reduce / fold / aggregate / isEmpty / foreach /
  // collectAsMap / lookup doctests; RDDSuite "take", "empty RDD", "isEmpty", "aggregate",
  // "treeAggregate", "treeReduce".
  // ---------------------------------------------------------------------------------------
  {
    name: 'count: sc.parallelize([2, 3, 4]).count() == 3 (rdd.py count)',
    run: (f, o) => f.parallelize([2, 3, 4]).count(o),
    expected: 3,
  },
  {
    name: 'count of an empty RDD is 0 (RDDSuite empty RDD)',
    run: (f, o) => f.parallelize([], 3).count(o),
    expected: 0,
  },
  {
    name: 'collect of an empty RDD is [] (RDDSuite empty RDD)',
    run: (f, o) => f.parallelize([], 3).collect(o),
    expected: [],
  },
  {
    // This project: first() returns the row [2], Spark the element 2.
    name: 'first: sc.parallelize([2, 3, 4]).first() (rdd.py first)',
    run: (f, o) => f.parallelize([2, 3, 4]).first(o),
    expected: [2],
  },
  {
    name: 'first of an empty RDD fails saying it is empty (rdd.py first: ValueError: RDD is empty)',
    run: (f, o) => failure(() => f.parallelize([], 2).first(o), /empty/),
    expected: rejected(/empty/),
  },
  {
    name: 'first skips leading empty partitions',
    run: (f, o) => f.parallelize([7], 4).first(o),
    expected: [7],
  },
  {
    name: 'take: sc.parallelize([2, 3, 4, 5, 6]).take(2) (rdd.py take)',
    run: (f, o) => f.parallelize([2, 3, 4, 5, 6]).take(2, o),
    expected: [[2], [3]],
  },
  {
    name: 'take: sc.parallelize([2, 3, 4, 5, 6]).take(10) returns all (rdd.py take)',
    run: (f, o) => f.parallelize([2, 3, 4, 5, 6]).take(10, o),
    expected: [[2], [3], [4], [5], [6]],
  },
  {
    name: 'take: sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3) (rdd.py take)',
    run: (f, o) =>
      f
        .parallelize(range(100), 100)
        .filter((x: number) => x > 90)
        .take(3, o),
    expected: [[91], [92], [93]],
  },
  ...[1, 2, 3, 4].map(
    (n): ConformanceCase => ({
      name: `take(0/1/3/500) of 1..8 in ${n} partition(s) (RDDSuite take)`,
      run: async (f, o) => {
        const nums = f.parallelize([1, 2, 3, 4, 5, 6, 7, 8], n);
        return [vals(await nums.take(0, o)), vals(await nums.take(1, o)), vals(await nums.take(3, o)), vals(await nums.take(500, o))];
      },
      expected: [[], [1], [1, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8]],
    }),
  ),
  {
    name: 'take(2147483638) of 1 to 2 in 2 slices (RDDSuite take)',
    run: (f, o) => f.parallelize([1, 2], 2).take(2147483638, o),
    expected: [[1], [2]],
  },
  {
    name: 'take after sort returns the smallest in order',
    run: (f, o) => f.parallelize([5, 3, 1, 4, 2], 3).sort().take(3, o),
    expected: [[1], [2], [3]],
  },
  {
    name: 'reduce: sc.parallelize([1, 2, 3, 4, 5]).reduce(add) == 15 (rdd.py reduce)',
    run: (f, o) => f.parallelize([1, 2, 3, 4, 5]).reduce((a: number, b: number) => a + b, o),
    expected: 15,
  },
  {
    name: 'reduce: nums.reduce(_ + _) == 10 (RDDSuite basic operations)',
    run: (f, o) => f.parallelize([1, 2, 3, 4], 2).reduce((a: number, b: number) => a + b, o),
    expected: 10,
  },
  {
    name: 'reduce of an empty RDD fails saying it is empty (rdd.py reduce: ValueError)',
    run: (f, o) => failure(() => f.parallelize([], 2).reduce((a: number, b: number) => a + b, o), /empty/),
    expected: rejected(/empty/),
  },
  {
    name: 'reduce after a filter that keeps nothing fails (RDDSuite basic operations)',
    run: (f, o) =>
      failure(
        () =>
          f
            .parallelize([1, 2, 3, 4], 2)
            .filter((x: number) => x > 5)
            .reduce((a: number, b: number) => a + b, o),
        /empty/,
      ),
    expected: rejected(/empty/),
  },
  {
    name: 'treeReduce: [-5..-1, 1..4] in 10 slices (with empty ones) sums to -5 (rdd.py treeReduce)',
    run: (f, o) => f.parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10).reduce((a: number, b: number) => a + b, o),
    expected: -5,
  },
  {
    name: 'treeReduce: -1000 until 1000 in 10 slices (RDDSuite treeReduce)',
    run: (f, o) => f.parallelize(range(2000, -1000), 10).reduce((a: number, b: number) => a + b, o),
    expected: -1000,
  },
  {
    // This project: the value of a several-field row is the array of its fields.
    name: 'reduce over pair rows receives the rows as arrays',
    run: (f, o) =>
      f
        .slices([
          [1, 2],
          [3, 4],
          [5, 6],
        ])
        .reduce((a: number[], b: number[]) => [a[0] + b[0], a[1] + b[1]], o),
    expected: [9, 12],
  },
  {
    name: 'fold(0, add) == 15 via a per-partition zero and reduce (rdd.py fold)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4, 5], 3)
        .mapPartitions((rows: Iterable<number[]>) => {
          let acc = 0;
          for (const [x] of rows) acc += x;
          return [acc];
        })
        .reduce((a: number, b: number) => a + b, o),
    expected: 15,
  },
  {
    name: 'aggregate((0, 0), seqOp, combOp) over [1, 2, 3, 4] == (10, 4) (rdd.py aggregate)',
    run: (f, o) =>
      f
        .parallelize([1, 2, 3, 4], 2)
        .mapPartitions((rows: Iterable<number[]>) => {
          let acc = [0, 0];
          for (const [x] of rows) acc = [acc[0] + x, acc[1] + 1];
          return [[acc]];
        })
        .reduce((a: number[], b: number[]) => [a[0] + b[0], a[1] + b[1]], o),
    expected: [10, 4],
  },
  {
    name: 'aggregate over an empty RDD returns the zero (0, 0) (rdd.py aggregate)',
    run: (f, o) =>
      f
        .parallelize([], 2)
        .mapPartitions((rows: Iterable<number[]>) => {
          let acc = [0, 0];
          for (const [x] of rows) acc = [acc[0] + x, acc[1] + 1];
          return [[acc]];
        })
        .reduce((a: number[], b: number[]) => [a[0] + b[0], a[1] + b[1]], o),
    expected: [0, 0],
  },
  {
    name: 'aggregate into a map of counts per key (RDDSuite aggregate)',
    run: (f, o) =>
      f
        .slices(
          [
            ['a', 1],
            ['b', 2],
            ['a', 2],
            ['c', 5],
            ['a', 3],
          ],
          2,
        )
        .mapPartitions((rows: Iterable<any[]>) => {
          const m: Record<string, number> = {};
          for (const [k, v] of rows) m[k] = (m[k] ?? 0) + v;
          return [[m]];
        })
        .reduce((a: Record<string, number>, b: Record<string, number>) => {
          const m = { ...a };
          for (const k of Object.keys(b)) m[k] = (m[k] ?? 0) + b[k];
          return m;
        }, o),
    expected: { a: 6, b: 2, c: 5 },
  },
  {
    name: 'treeAggregate: -1000 until 1000 in 10 slices (RDDSuite treeAggregate)',
    run: (f, o) =>
      f
        .parallelize(range(2000, -1000), 10)
        .mapPartitions((rows: Iterable<number[]>) => {
          let acc = 0;
          for (const [x] of rows) acc += x;
          return [acc];
        })
        .reduce((a: number, b: number) => a + b, o),
    expected: -1000,
  },
  {
    name: 'isEmpty: sc.parallelize([]) is empty, sc.parallelize([1]) is not (rdd.py isEmpty)',
    run: async (f, o) => [(await f.parallelize([]).take(1, o)).length === 0, (await f.parallelize([1]).take(1, o)).length === 0],
    expected: [true, false],
  },
  {
    name: 'isEmpty after filters over 3 slices (RDDSuite isEmpty)',
    run: async (f, o) => {
      const xs = f.parallelize([1, 2, 3], 3);
      return [(await xs.filter((x: number) => x < 0).count(o)) === 0, (await xs.filter((x: number) => x > 1).count(o)) === 0];
    },
    expected: [true, false],
  },
  {
    name: 'foreach: the callback sees every element (rdd.py foreach)',
    run: async (f, o) => {
      const seen: number[] = [];
      await f.parallelize([1, 2, 3, 4, 5], 2).forEach((x: number) => {
        seen.push(x);
      }, o);
      return seen.sort((a, b) => a - b);
    },
    expected: [1, 2, 3, 4, 5],
  },
  {
    name: 'collectAsMap: sc.parallelize([(1, 2), (3, 4)]).collectAsMap()[1] == 2 (rdd.py collectAsMap)',
    run: async (f, o) => {
      const m = new Map(
        (await f
          .slices([
            [1, 2],
            [3, 4],
          ])
          .collect(o)) as [number, number][],
      );
      return [m.get(1), m.get(3)];
    },
    expected: [2, 4],
  },
  {
    name: 'lookup(42) over zip(range(1000), range(1000)) in 10 slices (rdd.py lookup)',
    run: (f, o) =>
      f
        .parallelize(range(1000), 10)
        .map((x: number) => [x, x])
        .filter((k: number) => k === params.k, { params: { k: 42 } })
        .values()
        .collect(o),
    expected: [[42]],
  },
  {
    name: 'lookup(42) after sortByKey (rdd.py lookup)',
    run: (f, o) =>
      f
        .parallelize(range(1000), 10)
        .map((x: number) => [x, x])
        .sortByKey()
        .filter((k: number) => k === 42)
        .values()
        .collect(o),
    expected: [[42]],
  },
  {
    name: 'lookup(5) and lookup(-1) (PairRDDFunctionsSuite lookup)',
    run: async (f, o) => {
      const pairs = f.slices([
        [1, 2],
        [3, 4],
        [5, 6],
        [5, 7],
      ]);
      const five = vals(await pairs.filter((k: number) => k === 5).values().collect(o)) as number[];
      const none = await pairs.filter((k: number) => k === -1).values().collect(o);
      return [five.sort(), none];
    },
    expected: [[6, 7], []],
  },
  {
    name: "lookup(('a', 'b')) after groupByKey: a tuple key (rdd.py lookup)",
    run: (f, o) =>
      f
        .slices([[['a', 'b'], 'c']])
        .groupByKey()
        .filter((k: any) => k.length === 2 && k[0] === 'a' && k[1] === 'b')
        .values()
        .collect(o),
    expected: [[['c']]],
  },
  {
    name: 'countApproxDistinct of range(1000).map(str), computed exactly (rdd.py countApproxDistinct)',
    run: (f, o) =>
      f
        .parallelize(range(1000))
        .map((x: number) => String(x))
        .distinct()
        .count(o),
    expected: 1000,
  },
  {
    name: 'count of 100000 rows generated in 10 partitions',
    run: (f, o) =>
      f
        .parallelize(range(10), 10)
        .flatMap((i: number) => Array.from({ length: 10000 }, (_, j) => i * 10000 + j))
        .count(o),
    expected: 100000,
  },

  // ---------------------------------------------------------------------------------------
  // Numbers: rdd.py sum / mean / variance / stdev / sampleStdev / sampleVariance / stats /
  // max / min doctests; DoubleRDDSuite "sum". This project's stats() names Spark's variance()
  // popVariance and stdev() popStdev (the sample variants sampleVariance, sampleStdev).
  // ---------------------------------------------------------------------------------------
  {
    name: 'sum: sc.parallelize([1.0, 2.0, 3.0]).sum() == 6.0 (rdd.py sum)',
    run: (f, o) => f.parallelize([1.0, 2.0, 3.0]).sum(o),
    expected: 6,
  },
  {
    name: 'sum of an empty RDD is 0 (DoubleRDDSuite sum)',
    run: (f, o) => f.parallelize([], 2).sum(o),
    expected: 0,
  },
  {
    name: 'sum of [1.0] and of [1.0, 2.0] (DoubleRDDSuite sum)',
    run: async (f, o) => [await f.parallelize([1.0]).sum(o), await f.parallelize([1.0, 2.0]).sum(o)],
    expected: [1, 3],
  },
  {
    name: 'sum of range(100000) generated in 10 partitions',
    run: (f, o) =>
      f
        .parallelize(range(10), 10)
        .flatMap((i: number) => Array.from({ length: 10000 }, (_, j) => i * 10000 + j))
        .sum(o),
    expected: 4999950000,
  },
  {
    name: 'mean: sc.parallelize([1, 2, 3]).mean() == 2.0 (rdd.py mean)',
    run: (f, o) => f.parallelize([1, 2, 3]).mean(o),
    expected: 2,
  },
  {
    // This project: mean() of an empty dataset rejects (Spark returns NaN); stats().mean is NaN.
    name: 'mean of an empty RDD rejects saying it is empty (Spark: NaN)',
    run: (f, o) => failure(() => f.parallelize([], 2).mean(o), /empty/),
    expected: rejected(/empty/),
  },
  {
    name: 'variance: sc.parallelize([1, 2, 3]).variance() == 0.666... is stats().popVariance (rdd.py variance)',
    run: async (f, o) => round((await f.parallelize([1, 2, 3]).stats(o)).popVariance),
    expected: round(2 / 3),
  },
  {
    name: 'stdev: sc.parallelize([1, 2, 3]).stdev() == 0.816... is stats().popStdev (rdd.py stdev)',
    run: async (f, o) => round((await f.parallelize([1, 2, 3]).stats(o)).popStdev),
    expected: round(Math.sqrt(2 / 3)),
  },
  {
    name: 'sampleStdev: sc.parallelize([1, 2, 3]).sampleStdev() == 1.0 (rdd.py sampleStdev)',
    run: async (f, o) => (await f.parallelize([1, 2, 3]).stats(o)).sampleStdev,
    expected: 1,
  },
  {
    name: 'sampleVariance: sc.parallelize([1, 2, 3]).sampleVariance() == 1.0 (rdd.py sampleVariance)',
    run: async (f, o) => (await f.parallelize([1, 2, 3]).stats(o)).sampleVariance,
    expected: 1,
  },
  {
    name: 'stats of [2, 4, 4, 4, 5, 5, 7, 9] in 3 slices',
    run: async (f, o) => roundAll({ ...(await f.parallelize([2, 4, 4, 4, 5, 5, 7, 9], 3).stats(o)) }),
    expected: roundAll({ count: 8, sum: 40, mean: 5, min: 2, max: 9, popVariance: 4, sampleVariance: 32 / 7, popStdev: 2, sampleStdev: Math.sqrt(32 / 7) }),
  },
  {
    name: 'stats of 1..100 in 7 slices (StatCounter merges partitions)',
    run: async (f, o) => roundAll({ ...(await f.parallelize(range(100, 1), 7).stats(o)) }),
    expected: roundAll({ count: 100, sum: 5050, mean: 50.5, min: 1, max: 100, popVariance: 833.25, sampleVariance: 83325 / 99, popStdev: Math.sqrt(833.25), sampleStdev: Math.sqrt(83325 / 99) }),
  },
  {
    // This project: an empty StatCounter has NaN min and max (Spark: +Infinity and -Infinity).
    name: 'stats of an empty RDD: count 0, sum 0, the rest NaN',
    run: async (f, o) => ({ ...(await f.parallelize([], 2).stats(o)) }),
    expected: { count: 0, sum: 0, mean: NaN, min: NaN, max: NaN, popVariance: NaN, sampleVariance: NaN, popStdev: NaN, sampleStdev: NaN },
  },
  {
    name: 'stats of a single element: sampleVariance NaN, popVariance 0',
    run: async (f, o) => {
      const s = await f.parallelize([5]).stats(o);
      return [s.count, s.mean, s.popVariance, s.sampleVariance];
    },
    expected: [1, 5, 0, NaN],
  },
  {
    name: 'max: sc.parallelize([1.0, 5.0, 43.0, 10.0]).max() == 43.0 (rdd.py max)',
    run: (f, o) => f.parallelize([1.0, 5.0, 43.0, 10.0]).max(o),
    expected: 43,
  },
  {
    name: 'max(key=str) == 5.0, by keyBy(String) then top (rdd.py max)',
    run: async (f, o) =>
      vals(
        await f
          .parallelize([1.0, 5.0, 43.0, 10.0])
          .keyBy((x: number) => String(x))
          .top(1, { by: [1] })
          .select(2)
          .collect(o),
      ),
    expected: [5],
  },
  {
    name: 'min: sc.parallelize([2.0, 5.0, 43.0, 10.0]).min() == 2.0 (rdd.py min)',
    run: (f, o) => f.parallelize([2.0, 5.0, 43.0, 10.0]).min(o),
    expected: 2,
  },
  {
    name: 'min(key=str) == 10.0, by keyBy(String) then takeOrdered (rdd.py min)',
    run: async (f, o) =>
      (
        (await f
          .parallelize([2.0, 5.0, 43.0, 10.0])
          .keyBy((x: number) => String(x))
          .takeOrdered(1, { by: [1], ...o })) as unknown[][]
      ).map((r) => r[1]),
    expected: [10],
  },
  {
    name: 'max and min of nums (RDDSuite basic operations)',
    run: async (f, o) => {
      const nums = f.parallelize([1, 2, 3, 4], 2);
      return [await nums.max(o), await nums.min(o)];
    },
    expected: [4, 1],
  },
  {
    // This project: the value of a several-field row is the row, compared in the total order.
    name: 'max of pair rows is the largest row',
    run: (f, o) =>
      f
        .slices([
          [1, 'z'],
          [2, 'b'],
          [2, 'a'],
        ])
        .max(o),
    expected: [2, 'b'],
  },
  {
    name: 'max of an empty RDD rejects (Spark: UnsupportedOperationException empty collection)',
    run: (f, o) => failure(() => f.parallelize([], 2).max(o), /empty/),
    expected: rejected(/empty/),
  },
  {
    // This project's total order puts NaN after every other number, +Infinity included
    // (Scala's Ordering.Double.TotalOrdering agrees; Python's max with NaN is order-dependent).
    name: 'max with NaN is NaN (NaN orders last)',
    run: (f, o) => f.parallelize([1, NaN, Infinity, -Infinity]).max(o),
    expected: NaN,
  },

  // ---------------------------------------------------------------------------------------
  // histogram: rdd.py histogram doctests and DoubleRDDSuite. Result: [buckets, counts].
  // ---------------------------------------------------------------------------------------
  {
    name: 'histogram(2) of range(51) == ([0, 25, 50], [25, 26]) (rdd.py histogram)',
    run: (f, o) => f.parallelize(range(51)).histogram(2, o),
    expected: [
      [0, 25, 50],
      [25, 26],
    ],
  },
  {
    name: 'histogram([0, 5, 25, 50]) of range(51) (rdd.py histogram)',
    run: (f, o) => f.parallelize(range(51)).histogram([0, 5, 25, 50], o),
    expected: [
      [0, 5, 25, 50],
      [5, 20, 26],
    ],
  },
  {
    name: 'histogram([0, 15, 30, 45, 60]) of range(51): evenly spaced (rdd.py histogram)',
    run: (f, o) => f.parallelize(range(51)).histogram([0, 15, 30, 45, 60], o),
    expected: [
      [0, 15, 30, 45, 60],
      [15, 15, 15, 6],
    ],
  },
  {
    // This project: buckets are numbers only (PySpark also accepts ("a", "b", "c") for strings).
    name: 'histogram(("a", "b", "c")) of strings rejects: buckets must be numbers (rdd.py histogram)',
    run: (f, o) => failure(() => f.parallelize(['ab', 'ac', 'b', 'bd', 'ef']).histogram(['a', 'b', 'c'] as any, o), /buckets must be/),
    expected: rejected(/buckets must be/),
  },
  {
    name: 'histogram of an empty RDD with buckets [0, 10] is [0] (DoubleRDDSuite WorksOnEmpty)',
    run: (f, o) => f.parallelize([], 2).histogram([0, 10], o),
    expected: [[0, 10], [0]],
  },
  {
    name: 'histogram: out of range, one bucket (DoubleRDDSuite WorksWithOutOfRangeWithOneBucket)',
    run: async (f, o) => (await f.parallelize([10.01, -0.01]).histogram([0, 10], o))[1],
    expected: [0],
  },
  {
    name: 'histogram: in range, one bucket (DoubleRDDSuite WorksInRangeWithOneBucket)',
    run: async (f, o) => (await f.parallelize([1, 2, 3, 4]).histogram([0, 10], o))[1],
    expected: [4],
  },
  {
    name: 'histogram: one bucket matching min and max exactly (DoubleRDDSuite WorksInRangeWithOneBucketExactMatch)',
    run: async (f, o) => (await f.parallelize([1, 2, 3, 4]).histogram([1, 4], o))[1],
    expected: [4],
  },
  {
    name: 'histogram: out of range, two buckets (DoubleRDDSuite WorksWithOutOfRangeWithTwoBuckets)',
    run: async (f, o) => (await f.parallelize([10.01, -0.01]).histogram([0, 5, 10], o))[1],
    expected: [0, 0],
  },
  {
    name: 'histogram: in range, two buckets (DoubleRDDSuite WorksInRangeWithTwoBuckets)',
    run: async (f, o) => (await f.parallelize([1, 2, 3, 5, 6]).histogram([0, 5, 10], o))[1],
    expected: [3, 2],
  },
  {
    name: 'histogram: two buckets, NaN ignored (DoubleRDDSuite WorksInRangeWithTwoBucketsAndNaN)',
    run: async (f, o) => (await f.parallelize([1, 2, 3, 5, 6, NaN]).histogram([0, 5, 10], o))[1],
    expected: [3, 2],
  },
  {
    name: 'histogram: two uneven buckets (DoubleRDDSuite WorksInRangeWithTwoUnevenBuckets)',
    run: async (f, o) => (await f.parallelize([1, 2, 3, 5, 6]).histogram([0, 5, 11], o))[1],
    expected: [3, 2],
  },
  {
    name: 'histogram: mixed range, the last bucket is closed (DoubleRDDSuite WorksMixedRangeWithTwoUnevenBuckets)',
    run: async (f, o) => (await f.parallelize([-0.01, 0.0, 1, 2, 3, 5, 6, 11.0, 11.01], 3).histogram([0, 5, 11], o))[1],
    expected: [4, 3],
  },
  {
    name: 'histogram: mixed range, four uneven buckets (DoubleRDDSuite WorksMixedRangeWithFourUnevenBuckets)',
    run: async (f, o) => (await f.parallelize([-0.01, 0.0, 1, 2, 3, 5, 6, 11.01, 12.0, 199.0, 200.0, 200.1], 4).histogram([0, 5, 11, 12, 200], o))[1],
    expected: [4, 2, 1, 3],
  },
  {
    name: 'histogram: four uneven buckets and NaN (DoubleRDDSuite WorksMixedRangeWithUnevenBucketsAndNaN)',
    run: async (f, o) => (await f.parallelize([-0.01, 0.0, 1, 2, 3, 5, 6, 11.01, 12.0, 199.0, 200.0, 200.1, NaN], 4).histogram([0, 5, 11, 12, 200], o))[1],
    expected: [4, 2, 1, 3],
  },
  {
    name: 'histogram: infinite bucket edges catch infinite values, NaN ignored (DoubleRDDSuite ...NaNAndInfinity)',
    run: async (f, o) =>
      (await f.parallelize([-0.01, 0.0, 1, 2, 3, 5, 6, 11.01, 12.0, 199.0, 200.0, 200.1, Infinity, -Infinity, NaN], 3).histogram([-Infinity, 0, 5, 11, 12, 200, Infinity], o))[1],
    expected: [2, 4, 2, 1, 2, 3],
  },
  {
    name: 'histogram: out of range with infinite buckets (DoubleRDDSuite WorksWithOutOfRangeWithInfiniteBuckets)',
    run: async (f, o) => (await f.parallelize([10.01, -0.01, NaN]).histogram([-Infinity, 0, Infinity], o))[1],
    expected: [1, 1],
  },
  {
    name: 'histogram: a one-element bucket array is invalid (DoubleRDDSuite ThrowsExceptionOnInvalidBucketArray)',
    run: (f, o) => failure(() => f.parallelize([1.0]).histogram([1.0], o), /buckets must be/),
    expected: rejected(/buckets must be/),
  },
  {
    name: 'histogram: an empty bucket array is invalid (DoubleRDDSuite ThrowsExceptionOnInvalidBucketArray)',
    run: (f, o) => failure(() => f.parallelize([1.0]).histogram([], o), /buckets must be/),
    expected: rejected(/buckets must be/),
  },
  {
    name: 'histogram(1) of [1, 2, 3, 4] (DoubleRDDSuite WorksWithoutBucketsBasic)',
    run: (f, o) => f.parallelize([1, 2, 3, 4]).histogram(1, o),
    expected: [[1, 4], [4]],
  },
  {
    name: 'histogram(1) of a single element (DoubleRDDSuite WorksWithoutBucketsBasicSingleElement)',
    run: (f, o) => f.parallelize([1]).histogram(1, o),
    expected: [[1, 1], [1]],
  },
  {
    name: 'histogram(5) of equal values is one bucket (DoubleRDDSuite WorksWithoutBucketsBasicNoRange)',
    run: (f, o) => f.parallelize([1, 1, 1, 1]).histogram(5, o),
    expected: [[1, 1], [4]],
  },
  {
    name: 'histogram(2) of [1, 2, 3, 4] (DoubleRDDSuite WorksWithoutBucketsBasicTwo)',
    run: (f, o) => f.parallelize([1, 2, 3, 4]).histogram(2, o),
    expected: [
      [1, 2.5, 4],
      [2, 2],
    ],
  },
  {
    name: 'histogram(4) and histogram(2) with values at min and max (DoubleRDDSuite WorksWithDoubleValuesAtMinMax)',
    run: async (f, o) => {
      const xs = f.parallelize([1, 1, 1, 2, 3, 3], 2);
      return [await xs.histogram(4, o), await xs.histogram(2, o)];
    },
    expected: [
      [
        [1, 1.5, 2, 2.5, 3],
        [3, 0, 1, 2],
      ],
      [
        [1, 2, 3],
        [3, 3],
      ],
    ],
  },
  {
    // Bucket edges follow PySpark (i * inc + min, then max); Scala's customRange computes
    // min + i * span / n, which differs in the last bits (1.7 vs 1.7000000000000002).
    name: 'histogram(10) of [1, 2]: more buckets than elements (DoubleRDDSuite WorksWithoutBucketsWithMoreRequestedThanElements)',
    run: (f, o) => f.parallelize([1, 2]).histogram(10, o),
    expected: [[...range(10).map((i) => i * ((2 - 1) / 10) + 1), 2], [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
  },
  {
    name: 'histogram(8) of 6 to 99 (DoubleRDDSuite WorksWithoutBucketsForLargerDatasets)',
    run: (f, o) => f.parallelize(range(94, 6), 5).histogram(8, o),
    expected: [
      [6, 17.625, 29.25, 40.875, 52.5, 64.125, 75.75, 87.375, 99],
      [12, 12, 11, 12, 12, 11, 12, 12],
    ],
  },
  {
    name: 'histogram(2) skips NaN when finding the range (rdd.py histogram: non-comparable filtered)',
    run: (f, o) => f.parallelize([1, NaN, 3]).histogram(2, o),
    expected: [
      [1, 2, 3],
      [1, 1],
    ],
  },
  {
    name: 'histogram(1) with an infinite value rejects (DoubleRDDSuite ThrowsExceptionOnInvalidRDDs)',
    run: (f, o) => failure(() => f.parallelize([1, Infinity]).histogram(1, o), /finite/),
    expected: rejected(/finite/),
  },
  {
    name: 'histogram(1) of an empty RDD rejects (DoubleRDDSuite ThrowsExceptionOnInvalidRDDs)',
    run: (f, o) => failure(() => f.parallelize([], 2).histogram(1, o), /empty/),
    expected: rejected(/empty/),
  },
  {
    // PySpark's histogram skips None ("if i is None ... continue"); a null is not the number 0.
    name: 'histogram([0, 2, 4]) skips a None element (rdd.py histogram)',
    run: (f, o) => f.parallelize([1, null, 3]).histogram([0, 2, 4], o),
    expected: [
      [0, 2, 4],
      [1, 1],
    ],
  },

  // ---------------------------------------------------------------------------------------
  // Per-key aggregation: rdd.py reduceByKey / reduceByKeyLocally / groupByKey / groupBy /
  // aggregateByKey / foldByKey / combineByKey / countByKey / countByValue doctests;
  // PairRDDFunctionsSuite. Results per key are unordered; values inside groups are sorted by
  // the case because their order is not defined.
  // ---------------------------------------------------------------------------------------
  {
    name: 'reduceByKey: [("a", 1), ("b", 1), ("a", 1)] (rdd.py reduceByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 1],
        ])
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [
      ['a', 2],
      ['b', 1],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKeyLocally: collected into a map (rdd.py reduceByKeyLocally)',
    run: async (f, o) =>
      entries(
        new Map(
          (await f
            .slices([
              ['a', 1],
              ['b', 1],
              ['a', 1],
            ])
            .reduceByKey((a: number, b: number) => a + b)
            .collect(o)) as [string, number][],
        ),
      ),
    expected: [
      ['a', 2],
      ['b', 1],
    ],
  },
  {
    name: 'reduceByKey (PairRDDFunctionsSuite reduceByKey)',
    run: (f, o) =>
      f
        .slices(DUP_PAIRS)
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [
      [1, 7],
      [2, 1],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKey with 10 output partitions (PairRDDFunctionsSuite reduceByKey with many output partitions)',
    run: (f, o) =>
      f
        .slices(DUP_PAIRS)
        .reduceByKey((a: number, b: number) => a + b, { partitions: 10 })
        .collect(o),
    expected: [
      [1, 7],
      [2, 1],
    ],
    unordered: true,
  },
  {
    // This project: keys are typed, so 1 and '1' and true are three keys (Python merges 1, 1.0
    // and True); 1 and 1.0 are one key as in Spark.
    name: 'reduceByKey: 1 and 1.0 are one key, "1" and true are others',
    run: (f, o) =>
      f
        .slices([
          [1, 1],
          ['1', 1],
          [1.0, 1],
          [true, 1],
        ])
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [
      [1, 2],
      ['1', 1],
      [true, 1],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKey: 1n (bigint) and 1 are one key',
    run: (f, o) =>
      f
        .slices([
          [1, 1],
          [1n, 1],
          [1, 1],
        ])
        .reduceByKey((a: number, b: number) => a + b)
        .values()
        .collect(o),
    expected: [[3]],
  },
  {
    name: 'reduceByKey with a null key (Spark hashes null to 0)',
    run: (f, o) =>
      f
        .slices([
          [null, 1],
          [null, 2],
          ['a', 3],
        ])
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [
      [null, 3],
      ['a', 3],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKey with null values passes them to the function',
    run: (f, o) =>
      f
        .slices([
          ['a', null],
          ['a', 1],
          ['b', null],
        ])
        .reduceByKey((a: number | null, b: number | null) => (a ?? 0) + (b ?? 0))
        .collect(o),
    expected: [
      ['a', 1],
      ['b', null],
    ],
    unordered: true,
  },
  {
    // This project: several value fields reduce as an array and are spread back into the row.
    name: 'reduceByKey over [k, a, b] rows reduces [a, b] arrays',
    run: (f, o) =>
      f
        .slices([
          ['a', 1, 10],
          ['a', 2, 20],
          ['b', 5, 50],
        ])
        .reduceByKey((x: number[], y: number[]) => [x[0] + y[0], x[1] + y[1]])
        .collect(o),
    expected: [
      ['a', 3, 30],
      ['b', 5, 50],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKey on a composite key (fields 1 and 2)',
    run: (f, o) =>
      f
        .slices([
          ['a', 'x', 1],
          ['a', 'x', 2],
          ['a', 'y', 5],
          ['b', 'x', 7],
        ])
        .reduceByKey((a: number, b: number) => a + b, { by: [1, 2] })
        .collect(o),
    expected: [
      ['a', 'x', 3],
      ['a', 'y', 5],
      ['b', 'x', 7],
    ],
    unordered: true,
  },
  {
    name: 'reduceByKey: 200000 rows over 1000 keys, 200 each',
    run: (f, o) =>
      f
        .parallelize(range(10), 10)
        .flatMap((i: number) => Array.from({ length: 20000 }, (_, j) => [(i * 20000 + j) % 1000, 1]))
        .reduceByKey((a: number, b: number) => a + b)
        .map((_k: number, n: number) => [n])
        .countByValue(o)
        .then(entries),
    expected: [[200, 1000]],
  },
  {
    name: 'groupByKey().mapValues(len) (rdd.py groupByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 1],
        ])
        .groupByKey()
        .mapValues((vs: unknown[]) => vs.length)
        .collect(o),
    expected: [
      ['a', 2],
      ['b', 1],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey().mapValues(list) (rdd.py groupByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 1],
        ])
        .groupByKey()
        .collect(o),
    expected: [
      ['a', [1, 1]],
      ['b', [1]],
    ],
    unordered: true,
  },
  {
    name: 'groupBy(lambda x: x % 2) over [1, 1, 2, 3, 5, 8] (rdd.py groupBy)',
    run: (f, o) =>
      f
        .parallelize([1, 1, 2, 3, 5, 8])
        .keyBy((x: number) => x % 2)
        .groupByKey()
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [0, [2, 8]],
      [1, [1, 1, 3, 5]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey (PairRDDFunctionsSuite groupByKey)',
    run: (f, o) =>
      f
        .slices([
          [1, 1],
          [1, 2],
          [1, 3],
          [2, 1],
        ])
        .groupByKey()
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [1, [1, 2, 3]],
      [2, [1]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey with duplicates (PairRDDFunctionsSuite)',
    run: (f, o) =>
      f
        .slices(DUP_PAIRS)
        .groupByKey()
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [1, [1, 1, 2, 3]],
      [2, [1]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey with negative keys (PairRDDFunctionsSuite negative key hash codes)',
    run: (f, o) =>
      f
        .slices([
          [-1, 1],
          [-1, 2],
          [-1, 3],
          [2, 1],
        ])
        .groupByKey()
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [-1, [1, 2, 3]],
      [2, [1]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey with 10 output partitions (PairRDDFunctionsSuite many output partitions)',
    run: (f, o) =>
      f
        .slices([
          [1, 1],
          [1, 2],
          [1, 3],
          [2, 1],
        ])
        .groupByKey({ partitions: 10 })
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [1, [1, 2, 3]],
      [2, [1]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey with a null key and null values',
    run: (f, o) =>
      f
        .slices([
          [null, 1],
          ['a', null],
          [null, null],
        ])
        .groupByKey()
        .mapValues((vs: unknown[]) => vs.slice().sort((a, b) => (a === null ? -1 : b === null ? 1 : 0)))
        .collect(o),
    expected: [
      [null, [null, 1]],
      ['a', [null]],
    ],
    unordered: true,
  },
  {
    name: 'groupByKey with tuple keys (arrays compare element-wise)',
    run: (f, o) =>
      f
        .slices([
          [['a', 'b'], 1],
          [['a'], 2],
          [['a', 'b'], 3],
        ])
        .groupByKey()
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [['a', 'b'], [1, 3]],
      [['a'], [2]],
    ],
    unordered: true,
  },
  {
    // This project: the value of a [k, a, b] row is [a, b].
    name: 'groupByKey over [k, a, b] rows groups [a, b] values',
    run: (f, o) =>
      f
        .slices([
          ['a', 1, 'x'],
          ['a', 2, 'y'],
        ])
        .groupByKey()
        .mapValues((vs: [number, string][]) => vs.slice().sort((p, q) => p[0] - q[0]))
        .collect(o),
    expected: [
      [
        'a',
        [
          [1, 'x'],
          [2, 'y'],
        ],
      ],
    ],
  },
  {
    name: 'groupByKey: 100000 rows over 100 keys, 1000 values each',
    run: (f, o) =>
      f
        .parallelize(range(4), 4)
        .flatMap((i: number) => Array.from({ length: 25000 }, (_, j) => [(i * 25000 + j) % 100, j]))
        .groupByKey()
        .map((_k: any, vs: any) => [vs.length])
        .countByValue(o)
        .then(entries),
    expected: [[1000, 100]],
  },
  {
    name: 'aggregateByKey((0, 0), seqFunc, combFunc) (rdd.py aggregateByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 2],
        ])
        .aggregateByKey(
          [0, 0],
          (x: number[], y: number) => [x[0] + y, x[1] + 1],
          (x: number[], y: number[]) => [x[0] + y[0], x[1] + y[1]],
        )
        .collect(o),
    expected: [
      ['a', [3, 2]],
      ['b', [1, 1]],
    ],
    unordered: true,
  },
  {
    name: 'aggregateByKey: zero once per key and partition, max then add (Spark programming guide)',
    run: (f, o) =>
      f
        .slices(
          [
            [1, 1],
            [1, 2],
            [2, 1],
            [2, 3],
            [2, 4],
            [1, 7],
          ],
          2,
        )
        .aggregateByKey(
          3,
          (a: number, b: number) => Math.max(a, b),
          (a: number, b: number) => a + b,
        )
        .collect(o),
    expected: [
      [1, 10],
      [2, 7],
    ],
    unordered: true,
  },
  {
    name: 'aggregateByKey into sets (PairRDDFunctionsSuite aggregateByKey)',
    run: (f, o) =>
      f
        .slices(
          [
            [1, 1],
            [1, 1],
            [3, 2],
            [5, 1],
            [5, 3],
          ],
          2,
        )
        .aggregateByKey(
          [],
          (s: number[], v: number) => (s.includes(v) ? s : [...s, v]),
          (a: number[], b: number[]) => [...a, ...b.filter((v) => !a.includes(v))],
        )
        .mapValues((s: number[]) => s.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [1, [1]],
      [3, [2]],
      [5, [1, 3]],
    ],
    unordered: true,
  },
  {
    name: 'aggregateByKey: seqOp may mutate its accumulator; the zero is fresh per key',
    run: (f, o) =>
      f
        .slices(
          [
            ['a', 1],
            ['b', 1],
            ['a', 2],
          ],
          1,
        )
        .aggregateByKey(
          { n: 0 },
          (acc: { n: number }, v: number) => {
            acc.n += v;
            return acc;
          },
          (a: { n: number }, b: { n: number }) => ({ n: a.n + b.n }),
        )
        .collect(o),
    expected: [
      ['a', { n: 3 }],
      ['b', { n: 1 }],
    ],
    unordered: true,
  },
  {
    name: 'foldByKey(0, add) (rdd.py foldByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 1],
        ])
        .foldByKey(0, (a: number, b: number) => a + b)
        .collect(o),
    expected: [
      ['a', 2],
      ['b', 1],
    ],
    unordered: true,
  },
  {
    name: 'foldByKey (PairRDDFunctionsSuite foldByKey)',
    run: (f, o) =>
      f
        .slices(DUP_PAIRS)
        .foldByKey(0, (a: number, b: number) => a + b)
        .collect(o),
    expected: [
      [1, 7],
      [2, 1],
    ],
    unordered: true,
  },
  {
    name: 'foldByKey with a mutable result type (PairRDDFunctionsSuite)',
    run: (f, o) =>
      f
        .slices(DUP_PAIRS, 2)
        .mapValues((v: number) => [v])
        .foldByKey([], (a: number[], b: number[]) => {
          a.push(...b);
          return a;
        })
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      [1, [1, 1, 2, 3]],
      [2, [1]],
    ],
    unordered: true,
  },
  {
    name: 'combineByKey(to_list, append, extend) (rdd.py combineByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 1],
          ['a', 2],
        ])
        .combineByKey(
          (a: number) => [a],
          (a: number[], b: number) => {
            a.push(b);
            return a;
          },
          (a: number[], b: number[]) => {
            a.push(...b);
            return a;
          },
        )
        .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
        .collect(o),
    expected: [
      ['a', [1, 2]],
      ['b', [1]],
    ],
    unordered: true,
  },
  {
    name: 'combineByKey: per-key average through (sum, count)',
    run: (f, o) =>
      f
        .slices(
          [
            ['a', 1],
            ['b', 4],
            ['a', 2],
            ['a', 6],
            ['b', 6],
          ],
          3,
        )
        .combineByKey(
          (v: number) => [v, 1],
          (c: number[], v: number) => [c[0] + v, c[1] + 1],
          (x: number[], y: number[]) => [x[0] + y[0], x[1] + y[1]],
        )
        .mapValues((c: number[]) => c[0] / c[1])
        .collect(o),
    expected: [
      ['a', 3],
      ['b', 5],
    ],
    unordered: true,
  },
  {
    name: 'countByKey: [("a", 1), ("b", 1), ("a", 1)] (rdd.py countByKey)',
    run: async (f, o) =>
      entries(
        await f
          .slices([
            ['a', 1],
            ['b', 1],
            ['a', 1],
          ])
          .countByKey(o),
      ),
    expected: [
      ['a', 2],
      ['b', 1],
    ],
  },
  {
    name: 'countByValue: sc.parallelize([1, 2, 1, 2, 2], 2) (rdd.py countByValue)',
    run: async (f, o) => entries(await f.parallelize([1, 2, 1, 2, 2], 2).countByValue(o)),
    expected: [
      [1, 2],
      [2, 3],
    ],
  },
  {
    // This project: countByKey of one-field rows counts the field.
    name: 'countByKey of one-field rows counts the field',
    run: async (f, o) => entries(await f.parallelize([1, 1, 2]).countByKey(o)),
    expected: [
      [1, 2],
      [2, 1],
    ],
  },
  {
    // This project: countByValue of several-field rows counts whole rows.
    name: 'countByValue of pair rows counts whole rows',
    run: async (f, o) =>
      entries(
        await f
          .slices([
            [1, 'a'],
            [2, 'b'],
            [1, 'a'],
          ])
          .countByValue(o),
      ),
    expected: [
      [[1, 'a'], 2],
      [[2, 'b'], 1],
    ],
  },
  {
    name: 'countByKey over typed keys: 1 and "1" are counted apart',
    run: async (f, o) =>
      entries(
        await f
          .slices([
            [1, 'x'],
            ['1', 'y'],
            [1, 'z'],
          ])
          .countByKey(o),
      ),
    expected: [
      ['1', 1],
      [1, 2],
    ],
  },
  {
    name: 'countByValue of 100000 generated values mod 10',
    run: async (f, o) =>
      entries(
        await f
          .parallelize(range(5), 5)
          .flatMap((i: number) => Array.from({ length: 20000 }, (_, j) => (i * 20000 + j) % 10))
          .countByValue(o),
      ),
    expected: range(10).map((d) => [d, 10000]),
  },

  // ---------------------------------------------------------------------------------------
  // Pair helpers: rdd.py mapValues / flatMapValues / keys / values / keyBy doctests;
  // PairRDDFunctionsSuite "keys and values".
  // ---------------------------------------------------------------------------------------
  {
    name: 'mapValues(len) (rdd.py mapValues)',
    run: (f, o) =>
      f
        .slices([
          ['a', ['apple', 'banana', 'lemon']],
          ['b', ['grapes']],
        ])
        .mapValues((x: string[]) => x.length)
        .collect(o),
    expected: [
      ['a', 3],
      ['b', 1],
    ],
  },
  {
    name: 'flatMapValues (rdd.py flatMapValues)',
    run: (f, o) =>
      f
        .slices([
          ['a', ['x', 'y', 'z']],
          ['b', ['p', 'r']],
        ])
        .flatMapValues((x: string[]) => x)
        .collect(o),
    expected: [
      ['a', 'x'],
      ['a', 'y'],
      ['a', 'z'],
      ['b', 'p'],
      ['b', 'r'],
    ],
  },
  {
    name: 'flatMapValues with an empty list drops the key',
    run: (f, o) =>
      f
        .slices([
          ['a', []],
          ['b', [1]],
        ])
        .flatMapValues((x: number[]) => x)
        .collect(o),
    expected: [['b', 1]],
  },
  {
    // This project: mapValues of a [k, a, b] row gets [a, b].
    name: 'mapValues over [k, a, b] rows receives [a, b]',
    run: (f, o) =>
      f
        .slices([['a', 1, 2]])
        .mapValues((v: number[]) => v[0] + v[1])
        .collect(o),
    expected: [['a', 3]],
  },
  {
    name: 'keys: sc.parallelize([(1, 2), (3, 4)]).keys() (rdd.py keys)',
    run: (f, o) =>
      f
        .slices([
          [1, 2],
          [3, 4],
        ])
        .keys()
        .collect(o),
    expected: [[1], [3]],
  },
  {
    name: 'values: sc.parallelize([(1, 2), (3, 4)]).values() (rdd.py values)',
    run: (f, o) =>
      f
        .slices([
          [1, 2],
          [3, 4],
        ])
        .values()
        .collect(o),
    expected: [[2], [4]],
  },
  {
    name: 'keys and values (PairRDDFunctionsSuite keys and values)',
    run: async (f, o) => {
      const rdd = f.slices([
        [1, 'a'],
        [2, 'b'],
      ]);
      return [await rdd.keys().collect(o), await rdd.values().collect(o)];
    },
    expected: [
      [[1], [2]],
      [['a'], ['b']],
    ],
  },
  {
    // This project: values() of a [k, a, b] row is the row [a, b].
    name: 'values of [k, a, b] rows are [a, b] rows',
    run: (f, o) =>
      f
        .slices([['a', 1, 2]])
        .values()
        .collect(o),
    expected: [[1, 2]],
  },
  {
    name: 'keyBy(lambda x: x * x) then cogroup (rdd.py keyBy)',
    run: (f, o) => {
      const x = f.parallelize(range(3)).keyBy((v: number) => v * v);
      const y = f.slices(range(5).map((i) => [i, i]));
      return x.coGroup(y).collect(o);
    },
    expected: [
      [0, [0], [0]],
      [1, [1], [1]],
      [2, [], [2]],
      [3, [], [3]],
      [4, [2], [4]],
    ],
    unordered: true,
  },

  // ---------------------------------------------------------------------------------------
  // Ordering: rdd.py sortByKey / sortBy / top / takeOrdered doctests; RDDSuite "sortByKey",
  // "sortByKey ascending parameter", "sortByKey with explicit ordering", "top with predefined
  // ordering", "top with custom ordering", "takeOrdered ...". Exact order.
  // ---------------------------------------------------------------------------------------
  {
    name: 'sortByKey().first() (rdd.py sortByKey)',
    run: (f, o) => f.slices(SORT_TMP).sortByKey().first(o),
    expected: ['1', 3],
  },
  {
    name: 'sortByKey(True, 1) (rdd.py sortByKey)',
    run: (f, o) => f.slices(SORT_TMP).sortByKey({ partitions: 1 }).collect(o),
    expected: SORTED_TMP,
  },
  {
    name: 'sortByKey(True, 2) (rdd.py sortByKey)',
    run: (f, o) => f.slices(SORT_TMP).sortByKey({ partitions: 2 }).collect(o),
    expected: SORTED_TMP,
  },
  {
    name: 'sortByKey(True, 3, keyfunc=lambda k: k.lower()) (rdd.py sortByKey)',
    run: (f, o) =>
      f
        .slices([
          ['Mary', 1],
          ['had', 2],
          ['a', 3],
          ['little', 4],
          ['lamb', 5],
          ['whose', 6],
          ['fleece', 7],
          ['was', 8],
          ['white', 9],
        ])
        .map((k: any, v: any) => [k.toLowerCase(), k, v])
        .sort({ by: [1], partitions: 3 })
        .select(2, 3)
        .collect(o),
    expected: [
      ['a', 3],
      ['fleece', 7],
      ['had', 2],
      ['lamb', 5],
      ['little', 4],
      ['Mary', 1],
      ['was', 8],
      ['white', 9],
      ['whose', 6],
    ],
  },
  {
    name: 'sortByKey(ascending=False)',
    run: (f, o) =>
      f
        .slices(SORT_TMP)
        .sortByKey({ by: [[1, 'desc']] })
        .collect(o),
    expected: SORTED_TMP.slice().reverse(),
  },
  {
    name: 'sortBy(lambda x: x[0]) (rdd.py sortBy)',
    run: (f, o) => f.slices(SORT_TMP).sort({ by: [1] }).collect(o),
    expected: SORTED_TMP,
  },
  {
    name: 'sortBy(lambda x: x[1]) (rdd.py sortBy)',
    run: (f, o) => f.slices(SORT_TMP).sort({ by: [2] }).collect(o),
    expected: SORT_TMP,
  },
  ...[
    [0, ['4|60|C', '5|50|A', '6|40|B']],
    [1, ['6|40|B', '5|50|A', '4|60|C']],
    [2, ['5|50|A', '6|40|B', '4|60|C']],
  ].map(
    ([col, want]): ConformanceCase => ({
      name: `sortBy(_.split("\\\\|")(${col})) (RDDSuite sortByKey)`,
      run: async (f, o) =>
        vals(
          await f
            .strings(['5|50|A', '4|60|C', '6|40|B'])
            .keyBy((s: string) => s.split('|')[params.col], { params: { col } })
            .sort({ by: [1] })
            .select(2)
            .collect(o),
        ),
      expected: want,
    }),
  ),
  {
    name: 'sortBy(_.split("\\\\|")(0), ascending = false) (RDDSuite sortByKey ascending parameter)',
    run: async (f, o) =>
      vals(
        await f
          .strings(['5|50|A', '4|60|C', '6|40|B'])
          .keyBy((s: string) => s.split('|')[0])
          .sort({ by: [[1, 'desc']] })
          .select(2)
          .collect(o),
      ),
    expected: ['6|40|B', '5|50|A', '4|60|C'],
  },
  {
    name: 'sortBy age with an explicit (numeric) ordering (RDDSuite sortByKey with explicit ordering)',
    run: async (f, o) =>
      vals(
        await f
          .strings(['Bob|Smith|50', 'Jane|Smith|40', 'Thomas|Williams|30', 'Karen|Williams|60'])
          .keyBy((s: string) => Number(s.split('|')[2]))
          .sort({ by: [1], partitions: 2 })
          .select(2)
          .collect(o),
      ),
    expected: ['Thomas|Williams|30', 'Jane|Smith|40', 'Bob|Smith|50', 'Karen|Williams|60'],
  },
  {
    name: 'sortBy (last name, first name) (RDDSuite sortByKey with explicit ordering)',
    run: async (f, o) =>
      (
        (await f
          .strings(['Bob|Smith|50', 'Jane|Smith|40', 'Thomas|Williams|30', 'Karen|Williams|60'])
          .map((s: string) => [s.split('|')[1], s.split('|')[0], s])
          .sort({ by: [1, 2], partitions: 2 })
          .collect(o)) as string[][]
      ).map((r) => r[2]),
    expected: ['Bob|Smith|50', 'Jane|Smith|40', 'Karen|Williams|60', 'Thomas|Williams|30'],
  },
  {
    name: 'sort: field 2 descending, then field 1 ascending',
    run: (f, o) =>
      f
        .slices([
          ['b', 1],
          ['a', 2],
          ['c', 2],
          ['a', 1],
        ])
        .sort({ by: [[2, 'desc'], 1] })
        .collect(o),
    expected: [
      ['a', 2],
      ['c', 2],
      ['a', 1],
      ['b', 1],
    ],
  },
  {
    name: 'sort: 10000 shuffled values into 7 partitions come back in order',
    run: async (f, o) =>
      vals(
        await f
          .parallelize(range(4), 4)
          .flatMap((i: number) => Array.from({ length: 2500 }, (_, j) => ((i * 2500 + j) * 7919) % 10000))
          .sort({ partitions: 7 })
          .collect(o),
      ),
    expected: range(10000),
  },
  {
    name: 'sort: partition i holds keys before partition i + 1 (range partitioning)',
    run: async (f, o) => {
      const parts = (await glom(
        f
          .parallelize(range(4), 4)
          .flatMap((i: number) => Array.from({ length: 500 }, (_, j) => ((i * 500 + j) * 613) % 2000))
          .sort({ partitions: 3 }),
      ).collect(o)) as [number[]][];
      const flat = parts.flatMap(([p]) => p);
      return { partitions: parts.length, inOrder: flat.every((x, i) => x === i), count: flat.length };
    },
    expected: { partitions: 3, inOrder: true, count: 2000 },
  },
  {
    name: 'sort: 80000 generated values, zipWithIndex agrees with the value everywhere',
    run: (f, o) =>
      f
        .parallelize(range(4), 4)
        .flatMap((i: number) => Array.from({ length: 20000 }, (_, j) => ((i * 20000 + j) * 7919) % 80000))
        .sort({ partitions: 5 })
        .zipWithIndex()
        .filter((x: any, i: any) => x !== i)
        .count(o),
    expected: 0,
  },
  {
    // This project documents sort as stable within equal keys of one input partition.
    name: 'sort is stable for equal keys of one input partition',
    run: (f, o) =>
      f
        .slices(
          [
            [1, 'a'],
            [0, 'x'],
            [1, 'b'],
            [0, 'y'],
            [1, 'c'],
          ],
          1,
        )
        .sort({ by: [1], partitions: 1 })
        .collect(o),
    expected: [
      [0, 'x'],
      [0, 'y'],
      [1, 'a'],
      [1, 'b'],
      [1, 'c'],
    ],
  },
  {
    // This project: one total order over types, null < booleans < numbers < strings < arrays
    // (Python 3 raises TypeError comparing str and int; Spark needs one key type).
    name: 'sort of mixed types follows the typed total order',
    run: (f, o) => f.slices([['b'], [2], [null], [true], [false], [-1], ['a'], [[1]], [[0, 5]], [1.5]], 3).sort().collect(o),
    expected: [[null], [false], [true], [-1], [1.5], [2], ['a'], ['b'], [[0, 5]], [[1]]],
  },
  {
    // This project documents NaN after every other number (Scala's Double total ordering too).
    name: 'sort: NaN after +Infinity, -Infinity first',
    run: (f, o) => f.parallelize([3, NaN, 1, Infinity, -Infinity, 0], 2).sort().collect(o),
    expected: [[-Infinity], [0], [1], [3], [Infinity], [NaN]],
  },
  {
    // This project documents strings ordered by UTF-16 code unit, like JS `<`: an astral
    // character (a surrogate pair) sorts before U+FF61; by code point (Python, Java's
    // String.compareTo is also UTF-16) U+1F600 would be last.
    name: 'sort of strings by UTF-16 code unit',
    run: (f, o) => f.strings(['\uFF61', '\u{1F600}', 'a', 'B', 'é', '']).sort().collect(o),
    expected: [[''], ['B'], ['a'], ['é'], ['\u{1F600}'], ['\uFF61']],
  },
  {
    name: 'top(1) of [10, 4, 2, 12, 3] (rdd.py top)',
    run: (f, o) => f.parallelize([10, 4, 2, 12, 3]).top(1).collect(o),
    expected: [[12]],
  },
  {
    name: 'top(2) of [2, 3, 4, 5, 6] in 2 slices (rdd.py top)',
    run: (f, o) => f.parallelize([2, 3, 4, 5, 6], 2).top(2).collect(o),
    expected: [[6], [5]],
  },
  {
    name: 'top(3, key=str) of [10, 4, 2, 12, 3] (rdd.py top)',
    run: (f, o) =>
      f
        .parallelize([10, 4, 2, 12, 3])
        .keyBy((x: number) => String(x))
        .top(3, { by: [1] })
        .select(2)
        .collect(o),
    expected: [[4], [3], [2]],
  },
  {
    name: 'top(5) of a shuffled 1 until 100000 in 2 slices (RDDSuite top with predefined ordering)',
    run: (f, o) =>
      f
        .parallelize([0, 1], 2)
        .flatMap((i: number) => Array.from({ length: 49999 + i }, (_, j) => (((i * 49999 + j) * 7919) % 99999) + 1))
        .top(5)
        .collect(o),
    expected: [[99999], [99998], [99997], [99996], [99995]],
  },
  {
    name: 'top(2) with a reversed ordering (RDDSuite top with custom ordering)',
    run: (f, o) =>
      f
        .parallelize(['a', 'b', 'c', 'd'], 2)
        .top(2, { by: [[1, 'asc']] })
        .collect(o),
    expected: [['a'], ['b']],
  },
  {
    name: 'top(2) of pairs by field 2',
    run: (f, o) =>
      f
        .slices([
          ['x', 5],
          ['y', 9],
          ['z', 1],
          ['w', 7],
        ])
        .top(2, { by: [2] })
        .collect(o),
    expected: [
      ['y', 9],
      ['w', 7],
    ],
  },
  {
    name: 'top(0) is empty',
    run: (f, o) => f.parallelize([1, 2, 3]).top(0).collect(o),
    expected: [],
  },
  {
    name: 'top(3) of an RDD with fewer rows returns them all, largest first',
    run: (f, o) => f.parallelize([1, 2], 4).top(3).collect(o),
    expected: [[2], [1]],
  },
  {
    name: 'takeOrdered(6) of [10, 1, 2, 9, 3, 4, 5, 6, 7] (rdd.py takeOrdered)',
    run: async (f, o) => vals(await f.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6, o)),
    expected: [1, 2, 3, 4, 5, 6],
  },
  {
    name: 'takeOrdered(6, key=lambda x: -x) (rdd.py takeOrdered)',
    run: async (f, o) => vals(await f.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7], 2).takeOrdered(6, { by: [[1, 'desc']], ...o })),
    expected: [10, 9, 7, 6, 5, 4],
  },
  {
    name: 'takeOrdered(5) of 1..10 in 2 slices (RDDSuite takeOrdered with predefined ordering)',
    run: async (f, o) => vals(await f.parallelize(range(10, 1), 2).takeOrdered(5, o)),
    expected: [1, 2, 3, 4, 5],
  },
  {
    name: 'takeOrdered(0) is empty (RDDSuite takeOrdered with limit 0)',
    run: (f, o) => f.parallelize(range(10, 1), 2).takeOrdered(0, o),
    expected: [],
  },
  {
    name: 'takeOrdered(5) with a reversed ordering (RDDSuite takeOrdered with custom ordering)',
    run: async (f, o) => vals(await f.parallelize(range(10, 1), 2).takeOrdered(5, { by: [[1, 'desc']], ...o })),
    expected: [10, 9, 8, 7, 6],
  },
  {
    name: 'takeOrdered(2) of pairs compares whole rows by default',
    run: (f, o) =>
      f
        .slices([
          [2, 'a'],
          [1, 'b'],
          [1, 'a'],
          [3, 'c'],
        ])
        .takeOrdered(2, o),
    expected: [
      [1, 'a'],
      [1, 'b'],
    ],
  },
  {
    name: 'takeOrdered(10) of 3 elements returns them all, smallest first',
    run: async (f, o) => vals(await f.parallelize([3, 1, 2], 3).takeOrdered(10, o)),
    expected: [1, 2, 3],
  },

  // ---------------------------------------------------------------------------------------
  // zipWithIndex: rdd.py zipWithIndex doctest; RDDSuite "zipWithIndex", "zipWithIndex with a
  // single partition", "zipWithIndex chained with other RDDs (SPARK-4433)". Rows [...fields, i].
  // ---------------------------------------------------------------------------------------
  {
    name: 'zipWithIndex: sc.parallelize(["a", "b", "c", "d"], 3) (rdd.py zipWithIndex)',
    run: (f, o) => f.parallelize(['a', 'b', 'c', 'd'], 3).zipWithIndex().collect(o),
    expected: [
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ],
  },
  {
    name: 'zipWithIndex: 0 until 10 in 3 slices, index == value (RDDSuite zipWithIndex)',
    run: (f, o) => f.parallelize(range(10), 3).zipWithIndex().collect(o),
    expected: range(10).map((i) => [i, i]),
  },
  {
    name: 'zipWithIndex with a single partition (RDDSuite)',
    run: (f, o) => f.parallelize(range(10), 1).zipWithIndex().collect(o),
    expected: range(10).map((i) => [i, i]),
  },
  {
    name: 'zipWithIndex chained with a shuffle (RDDSuite SPARK-4433)',
    run: (f, o) => f.parallelize(range(10), 2).zipWithIndex().partition(4).count(o),
    expected: 10,
  },
  {
    name: 'zipWithIndex over empty partitions',
    run: (f, o) => f.parallelize(['a', 'b'], 5).zipWithIndex().collect(o),
    expected: [
      ['a', 0],
      ['b', 1],
    ],
  },
  {
    name: 'zipWithIndex after a filter that leaves partitions uneven',
    run: (f, o) =>
      f
        .parallelize(range(20), 4)
        .filter((x: number) => x % 3 === 0 || x < 5)
        .zipWithIndex()
        .collect(o),
    expected: [0, 1, 2, 3, 4, 6, 9, 12, 15, 18].map((x, i) => [x, i]),
  },
  {
    name: 'zipWithIndex after sortBy ranks the elements',
    run: (f, o) => f.parallelize([30, 10, 20], 3).sort().zipWithIndex().collect(o),
    expected: [
      [10, 0],
      [20, 1],
      [30, 2],
    ],
  },
  {
    // This project: the index is appended to the row's fields.
    name: 'zipWithIndex of pair rows appends the index',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [2, 'b'],
        ])
        .zipWithIndex()
        .collect(o),
    expected: [
      [1, 'a', 0],
      [2, 'b', 1],
    ],
  },
  {
    name: 'zipWithIndex of an empty RDD is empty',
    run: (f, o) => f.parallelize([], 3).zipWithIndex().collect(o),
    expected: [],
  },

  // ---------------------------------------------------------------------------------------
  // Joins: rdd.py join / leftOuterJoin / rightOuterJoin / fullOuterJoin / cogroup /
  // subtractByKey doctests; PairRDDFunctionsSuite "join", "join all-to-all", "leftOuterJoin",
  // "rightOuterJoin", "fullOuterJoin", "join with no matches", "join with many output
  // partitions", "groupWith", "cogroup with empty RDD", "subtractByKey"; RDDSuite "empty RDD".
  // This project: join rows are flat [k, leftValue, rightValue]; a missing side is null.
  // ---------------------------------------------------------------------------------------
  {
    name: 'join (rdd.py join)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
        ])
        .join(
          f.slices([
            ['a', 2],
            ['a', 3],
          ]),
        )
        .collect(o),
    expected: [
      ['a', 1, 2],
      ['a', 1, 3],
    ],
    unordered: true,
  },
  {
    name: 'leftOuterJoin (rdd.py leftOuterJoin)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
        ])
        .leftOuterJoin(f.slices([['a', 2]]))
        .collect(o),
    expected: [
      ['a', 1, 2],
      ['b', 4, null],
    ],
    unordered: true,
  },
  {
    name: 'rightOuterJoin: y.rightOuterJoin(x) (rdd.py rightOuterJoin)',
    run: (f, o) =>
      f
        .slices([['a', 2]])
        .rightOuterJoin(
          f.slices([
            ['a', 1],
            ['b', 4],
          ]),
        )
        .collect(o),
    expected: [
      ['a', 2, 1],
      ['b', null, 4],
    ],
    unordered: true,
  },
  {
    name: 'fullOuterJoin (rdd.py fullOuterJoin)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
        ])
        .fullOuterJoin(
          f.slices([
            ['a', 2],
            ['c', 8],
          ]),
        )
        .collect(o),
    expected: [
      ['a', 1, 2],
      ['b', 4, null],
      ['c', null, 8],
    ],
    unordered: true,
  },
  {
    name: 'cogroup (rdd.py cogroup)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
        ])
        .coGroup(f.slices([['a', 2]]))
        .collect(o),
    expected: [
      ['a', [1], [2]],
      ['b', [4], []],
    ],
    unordered: true,
  },
  {
    name: 'subtractByKey via cogroup (rdd.py subtractByKey)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
          ['b', 5],
          ['a', 2],
        ])
        .coGroup(
          f.slices([
            ['a', 3],
            ['c', null],
          ]),
        )
        .flatMap((k: any, left: any, right: any) => (right.length === 0 ? left.map((v: any) => [k, v]) : []))
        .collect(o),
    expected: [
      ['b', 4],
      ['b', 5],
    ],
    unordered: true,
  },
  {
    name: 'subtractByKey keeps duplicates (PairRDDFunctionsSuite subtractByKey)',
    run: (f, o) =>
      f
        .slices(
          [
            [1, 'a'],
            [1, 'a'],
            [2, 'b'],
            [3, 'c'],
          ],
          2,
        )
        .coGroup(
          f.slices(
            [
              [2, 20],
              [3, 30],
              [4, 40],
            ],
            4,
          ),
        )
        .flatMap((k: any, left: any, right: any) => (right.length === 0 ? left.map((v: any) => [k, v]) : []))
        .collect(o),
    expected: [
      [1, 'a'],
      [1, 'a'],
    ],
    unordered: true,
  },
  {
    name: 'join (PairRDDFunctionsSuite join)',
    run: (f, o) => f.slices(PAIRS_1).join(f.slices(PAIRS_2)).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
    ],
    unordered: true,
  },
  {
    name: 'join all-to-all (PairRDDFunctionsSuite)',
    run: (f, o) =>
      f
        .slices([
          [1, 1],
          [1, 2],
          [1, 3],
        ])
        .join(
          f.slices([
            [1, 'x'],
            [1, 'y'],
          ]),
        )
        .collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 1, 'y'],
      [1, 2, 'x'],
      [1, 2, 'y'],
      [1, 3, 'x'],
      [1, 3, 'y'],
    ],
    unordered: true,
  },
  {
    name: 'leftOuterJoin (PairRDDFunctionsSuite leftOuterJoin)',
    run: (f, o) => f.slices(PAIRS_1).leftOuterJoin(f.slices(PAIRS_2)).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
      [3, 1, null],
    ],
    unordered: true,
  },
  {
    name: 'rightOuterJoin (PairRDDFunctionsSuite rightOuterJoin)',
    run: (f, o) => f.slices(PAIRS_1).rightOuterJoin(f.slices(PAIRS_2)).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
      [4, null, 'w'],
    ],
    unordered: true,
  },
  {
    name: 'fullOuterJoin (PairRDDFunctionsSuite fullOuterJoin)',
    run: (f, o) => f.slices(PAIRS_1).fullOuterJoin(f.slices(PAIRS_2)).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
      [3, 1, null],
      [4, null, 'w'],
    ],
    unordered: true,
  },
  {
    name: 'join with no matches (PairRDDFunctionsSuite)',
    run: (f, o) =>
      f
        .slices(PAIRS_1)
        .join(
          f.slices([
            [4, 'x'],
            [5, 'y'],
            [5, 'z'],
            [6, 'w'],
          ]),
        )
        .collect(o),
    expected: [],
  },
  {
    name: 'join with 10 output partitions (PairRDDFunctionsSuite join with many output partitions)',
    run: (f, o) => f.slices(PAIRS_1).join(f.slices(PAIRS_2), { partitions: 10 }).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
    ],
    unordered: true,
  },
  {
    name: 'rightOuterJoin with 7 output partitions',
    run: (f, o) => f.slices(PAIRS_1).rightOuterJoin(f.slices(PAIRS_2), { partitions: 7 }).count(o),
    expected: 5,
  },
  {
    name: 'cogroup / groupWith (PairRDDFunctionsSuite groupWith)',
    run: (f, o) =>
      f
        .slices(PAIRS_1)
        .coGroup(f.slices(PAIRS_2))
        .map((k: any, l: any, r: any) => [k, l.slice().sort(), r.slice().sort()])
        .collect(o),
    expected: [
      [1, [1, 2], ['x']],
      [2, [1], ['y', 'z']],
      [3, [1], []],
      [4, [], ['w']],
    ],
    unordered: true,
  },
  {
    name: 'cogroup with an empty RDD (PairRDDFunctionsSuite)',
    run: (f, o) =>
      f
        .slices(PAIRS_1)
        .coGroup(f.slices([], 2))
        .map((k: any, l: any, r: any) => [k, l.slice().sort(), r])
        .collect(o),
    expected: [
      [1, [1, 2], []],
      [2, [1], []],
      [3, [1], []],
    ],
    unordered: true,
  },
  {
    name: 'join with an empty RDD is empty (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .join(f.slices([], 2))
        .collect(o),
    expected: [],
  },
  {
    name: 'rightOuterJoin with an empty RDD is empty (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .rightOuterJoin(f.slices([], 2))
        .collect(o),
    expected: [],
  },
  {
    name: 'leftOuterJoin with an empty RDD keeps the left (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .leftOuterJoin(f.slices([], 2))
        .collect(o),
    expected: [
      [1, 1, null],
      [2, 2, null],
    ],
    unordered: true,
  },
  {
    name: 'fullOuterJoin with an empty RDD keeps the left (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .fullOuterJoin(f.slices([], 2))
        .collect(o),
    expected: [
      [1, 1, null],
      [2, 2, null],
    ],
    unordered: true,
  },
  {
    name: 'cogroup with an empty RDD has every left key (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .coGroup(f.slices([], 2))
        .collect(o),
    expected: [
      [1, [1], []],
      [2, [2], []],
    ],
    unordered: true,
  },
  {
    name: 'union with an empty RDD (RDDSuite empty RDD)',
    run: (f, o) =>
      f
        .parallelize([1, 2], 2)
        .map((x: number) => [x, x])
        .union(f.slices([], 2))
        .collect(o),
    expected: [
      [1, 1],
      [2, 2],
    ],
    unordered: true,
  },
  {
    name: 'fullOuterJoin of an empty RDD on the left keeps the right',
    run: (f, o) =>
      f
        .slices([], 2)
        .fullOuterJoin(f.slices([['k', 1]]))
        .collect(o),
    expected: [['k', null, 1]],
  },
  {
    name: 'join of two empty RDDs is empty',
    run: (f, o) => f.slices([], 3).join(f.slices([], 2)).collect(o),
    expected: [],
  },
  {
    name: 'hashJoin (broadcast) gives join (rdd.py join)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
        ])
        .hashJoin(
          f.slices([
            ['a', 2],
            ['a', 3],
          ]),
        )
        .collect(o),
    expected: [
      ['a', 1, 2],
      ['a', 1, 3],
    ],
    unordered: true,
  },
  {
    name: 'hashJoin with duplicate keys on both sides (PairRDDFunctionsSuite join)',
    run: (f, o) => f.slices(PAIRS_1, 3).hashJoin(f.slices(PAIRS_2)).collect(o),
    expected: [
      [1, 1, 'x'],
      [1, 2, 'x'],
      [2, 1, 'y'],
      [2, 1, 'z'],
    ],
    unordered: true,
  },
  {
    name: 'hashJoin with an empty small side is empty',
    run: (f, o) => f.slices(PAIRS_1).hashJoin(f.slices([], 2)).collect(o),
    expected: [],
  },
  {
    // This project: several value fields are spread into the join row.
    name: 'join of [k, a, b] with [k, c] gives [k, a, b, c]',
    run: (f, o) =>
      f
        .slices([['a', 1, 2]])
        .join(f.slices([['a', 'x']]))
        .collect(o),
    expected: [['a', 1, 2, 'x']],
  },
  {
    // This project: one null per value field of the missing side.
    name: 'leftOuterJoin pads a missing [c, d] side with two nulls',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 2],
        ])
        .leftOuterJoin(f.slices([['a', 'x', 'y']]))
        .collect(o),
    expected: [
      ['a', 1, 'x', 'y'],
      ['b', 2, null, null],
    ],
    unordered: true,
  },
  {
    name: 'fullOuterJoin pads either side with one null per value field',
    run: (f, o) =>
      f
        .slices([['a', 1, 2]])
        .fullOuterJoin(f.slices([['b', 'x', 'y', 'z']]))
        .collect(o),
    expected: [
      ['a', 1, 2, null, null, null],
      ['b', null, null, 'x', 'y', 'z'],
    ],
    unordered: true,
  },
  {
    name: 'join on a composite key (fields 1 and 2)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1, 'L1'],
          ['a', 2, 'L2'],
        ])
        .join(
          f.slices([
            ['a', 1, 'R1'],
            ['a', 3, 'R3'],
          ]),
          { by: [1, 2] },
        )
        .collect(o),
    expected: [['a', 1, 'L1', 'R1']],
  },
  {
    name: 'join keeps null values apart from missing rows',
    run: async (f, o) => [
      await f
        .slices([['a', null]])
        .join(f.slices([['a', 1]]))
        .collect(o),
      await f
        .slices([['a', null]])
        .leftOuterJoin(f.slices([['b', 1]]))
        .collect(o),
    ],
    expected: [[['a', null, 1]], [['a', null, null]]],
  },
  {
    name: 'join matches null keys with each other (Spark pair RDDs hash null to 0)',
    run: (f, o) =>
      f
        .slices([
          [null, 1],
          [1, 2],
        ])
        .join(
          f.slices([
            [null, 3],
            [1, 4],
          ]),
        )
        .collect(o),
    expected: [
      [null, 1, 3],
      [1, 2, 4],
    ],
    unordered: true,
  },
  {
    name: 'join of typed keys: 1 and 1.0 match, "1" only matches "1"',
    run: (f, o) =>
      f
        .slices([
          [1, 'int'],
          ['1', 'str'],
        ])
        .join(
          f.slices([
            [1, 'x'],
            ['1', 'y'],
            [1.0, 'z'],
          ]),
        )
        .collect(o),
    expected: [
      [1, 'int', 'x'],
      [1, 'int', 'z'],
      ['1', 'str', 'y'],
    ],
    unordered: true,
  },
  {
    // This project: true and 1 are different keys (in Python True == 1 and they would join).
    name: 'join: the key true does not match the key 1',
    run: (f, o) =>
      f
        .slices([[true, 't']])
        .join(f.slices([[1, 'one']]))
        .collect(o),
    expected: [],
  },
  {
    name: 'self-join sees every pair of values (RDDSuite)',
    run: (f, o) => {
      const r = f.slices([
        [1, 2],
        [1, 3],
      ]);
      return r.join(r).collect(o);
    },
    expected: [
      [1, 2, 2],
      [1, 2, 3],
      [1, 3, 2],
      [1, 3, 3],
    ],
    unordered: true,
  },
  {
    name: 'join with duplicate keys on both sides: 10 keys x 10 left x 5 right = 500 rows',
    run: (f, o) =>
      f
        .parallelize(range(100), 4)
        .map((x: number) => [x % 10, x])
        .join(
          f
            .parallelize(range(50), 3)
            .map((x: number) => [x % 10, -x]),
        )
        .count(o),
    expected: 500,
  },
  {
    name: 'join of 20000 generated unique keys on each side, 10000 shared',
    run: (f, o) =>
      f
        .parallelize(range(4), 4)
        .flatMap((i: number) => Array.from({ length: 5000 }, (_, j) => [i * 5000 + j, 'L']))
        .join(
          f
            .parallelize(range(4), 4)
            .flatMap((i: number) => Array.from({ length: 5000 }, (_, j) => [10000 + i * 5000 + j, 'R'])),
        )
        .count(o),
    expected: 10000,
  },
  {
    name: 'fullOuterJoin of generated keys: counts of matched and padded rows',
    run: async (f, o) =>
      entries(
        await f
          .parallelize(range(300), 3)
          .map((x: number) => [x, 'L'])
          .fullOuterJoin(
            f
              .parallelize(range(300, 200), 2)
              .map((x: number) => [x, 'R']),
          )
          .map((_k: any, l: any, r: any) => [`${l ?? '-'}${r ?? '-'}`])
          .countByValue(o),
      ),
    expected: [
      ['-R', 200],
      ['L-', 200],
      ['LR', 100],
    ],
  },

  // ---------------------------------------------------------------------------------------
  // Set operations: rdd.py distinct / union / intersection / subtract / cartesian doctests;
  // RDDSuite "basic operations", "SparkContext.union", "intersection", "intersection strips
  // duplicates in an input", "cartesian on empty RDD", "cartesian on non-empty RDDs";
  // PairRDDFunctionsSuite "subtract", "subtract with narrow dependency".
  // ---------------------------------------------------------------------------------------
  {
    name: 'distinct: sc.parallelize([1, 1, 2, 3]).distinct() (rdd.py distinct)',
    run: (f, o) => f.parallelize([1, 1, 2, 3]).distinct().collect(o),
    expected: [[1], [2], [3]],
    unordered: true,
  },
  {
    name: 'distinct().count() of duplicated 1..4 in 2 slices (RDDSuite basic operations)',
    run: (f, o) => f.parallelize([1, 1, 2, 2, 3, 3, 4, 4], 2).distinct().count(o),
    expected: 4,
  },
  {
    name: 'distinct(2) (RDDSuite basic operations)',
    run: (f, o) => f.parallelize([1, 1, 2, 2, 3, 3, 4, 4], 2).distinct({ partitions: 2 }).collect(o),
    expected: [[1], [2], [3], [4]],
    unordered: true,
  },
  {
    name: 'distinct compares whole rows',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [1, 'a'],
          [1, 'b'],
          [2, 'a'],
        ])
        .distinct()
        .collect(o),
    expected: [
      [1, 'a'],
      [1, 'b'],
      [2, 'a'],
    ],
    unordered: true,
  },
  {
    name: 'distinct by field 1 keeps one row per key',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [1, 'b'],
          [2, 'c'],
        ])
        .distinct({ by: [1] })
        .keys()
        .collect(o),
    expected: [[1], [2]],
    unordered: true,
  },
  {
    // This project: typed keys, 1 and 1.0 equal, '1', true and null distinct (Python would
    // merge 1, 1.0 and True).
    name: 'distinct over mixed types',
    run: (f, o) => f.parallelize([1, '1', 1.0, true, null, null, 'a', true], 3).distinct().collect(o),
    expected: [[null], [true], [1], ['1'], ['a']],
    unordered: true,
  },
  {
    name: 'distinct keeps one NaN (boxed Double equality)',
    run: (f, o) => f.parallelize([NaN, NaN, 1], 2).distinct().collect(o),
    expected: [[1], [NaN]],
    unordered: true,
  },
  {
    name: 'distinct of array elements compares them element-wise',
    run: (f, o) => f.slices([[[1, 2]], [[1, 2]], [[2, 1]], [[1]]]).distinct().collect(o),
    expected: [[[1, 2]], [[2, 1]], [[1]]],
    unordered: true,
  },
  {
    name: 'distinct of 100000 generated values with 1000 distinct',
    run: (f, o) =>
      f
        .parallelize(range(10), 10)
        .flatMap((i: number) => Array.from({ length: 10000 }, (_, j) => (i * 10000 + j) % 1000))
        .distinct()
        .count(o),
    expected: 1000,
  },
  {
    name: 'distinct of an empty RDD is empty',
    run: (f, o) => f.parallelize([], 3).distinct().collect(o),
    expected: [],
  },
  {
    name: 'union: rdd.union(rdd) (rdd.py union)',
    run: (f, o) => {
      const rdd = f.parallelize([1, 1, 2, 3]);
      return rdd.union(rdd).collect(o);
    },
    expected: [[1], [1], [2], [3], [1], [1], [2], [3]],
    unordered: true,
  },
  {
    name: 'sc.union(nums, nums) (RDDSuite SparkContext.union)',
    run: (f, o) => {
      const nums = f.parallelize([1, 2, 3, 4], 2);
      return nums.union(nums).collect(o);
    },
    expected: [[1], [2], [3], [4], [1], [2], [3], [4]],
    unordered: true,
  },
  {
    name: 'union of three RDDs',
    run: (f, o) => f.parallelize([1], 1).union(f.parallelize([2, 3], 2), f.parallelize([4, 5, 6], 3)).collect(o),
    expected: [[1], [2], [3], [4], [5], [6]],
    unordered: true,
  },
  {
    name: 'union of rows of different shapes keeps each row',
    run: (f, o) =>
      f
        .parallelize([1])
        .union(f.slices([[2, 'b']]))
        .collect(o),
    expected: [[1], [2, 'b']],
    unordered: true,
  },
  {
    name: 'union then reduceByKey',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 2],
        ])
        .union(
          f.slices([
            ['a', 10],
            ['c', 3],
          ]),
        )
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [
      ['a', 11],
      ['b', 2],
      ['c', 3],
    ],
    unordered: true,
  },
  {
    name: 'intersection (rdd.py intersection)',
    run: (f, o) => f.parallelize([1, 10, 2, 3, 4, 5]).intersection(f.parallelize([1, 6, 2, 3, 7, 8])).collect(o),
    expected: [[1], [2], [3]],
    unordered: true,
  },
  {
    name: 'intersection of 1..10 and the evens (RDDSuite intersection)',
    run: (f, o) =>
      f
        .parallelize(range(10, 1))
        .intersection(f.parallelize([2, 4, 6, 8, 10]))
        .collect(o),
    expected: [[2], [4], [6], [8], [10]],
    unordered: true,
  },
  {
    name: 'intersection strips duplicates of either input (RDDSuite)',
    run: async (f, o) => {
      const a = f.parallelize([1, 2, 3, 3]);
      const b = f.parallelize([1, 1, 2, 3]);
      return [vals(await a.intersection(b).collect(o)).sort(), vals(await b.intersection(a).collect(o)).sort()];
    },
    expected: [
      [1, 2, 3],
      [1, 2, 3],
    ],
  },
  {
    name: 'intersection compares whole rows',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [1, 'b'],
          [2, 'a'],
        ])
        .intersection(
          f.slices([
            [1, 'b'],
            [2, 'b'],
            [1, 'b'],
          ]),
        )
        .collect(o),
    expected: [[1, 'b']],
  },
  {
    name: 'intersection with an empty RDD is empty',
    run: (f, o) => f.parallelize([1, 2, 3]).intersection(f.parallelize([], 3)).collect(o),
    expected: [],
  },
  {
    name: 'intersection of typed values: 1 and "1" differ',
    run: (f, o) => f.parallelize([1, '1', 2]).intersection(f.parallelize(['1', 2.0, '2'])).collect(o),
    expected: [['1'], [2]],
    unordered: true,
  },
  {
    name: 'subtract (rdd.py subtract)',
    run: (f, o) =>
      f
        .slices([
          ['a', 1],
          ['b', 4],
          ['b', 5],
          ['a', 3],
        ])
        .subtract(
          f.slices([
            ['a', 3],
            ['c', null],
          ]),
        )
        .collect(o),
    expected: [
      ['a', 1],
      ['b', 4],
      ['b', 5],
    ],
    unordered: true,
  },
  {
    name: 'subtract (PairRDDFunctionsSuite subtract)',
    run: (f, o) => f.parallelize([1, 2, 3], 2).subtract(f.parallelize([2, 3, 4], 4)).collect(o),
    expected: [[1]],
  },
  {
    name: 'subtract keeps duplicates of the left side (PairRDDFunctionsSuite subtract with narrow dependency)',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ])
        .partition(2)
        .subtract(
          f.slices([
            [2, 'b'],
            [3, 'cc'],
            [4, 'd'],
          ]),
        )
        .collect(o),
    expected: [
      [1, 'a'],
      [1, 'a'],
      [3, 'c'],
    ],
    unordered: true,
  },
  {
    name: 'subtract an empty RDD keeps everything',
    run: (f, o) => f.parallelize([1, 2, 3]).subtract(f.parallelize([], 3)).collect(o),
    expected: [[1], [2], [3]],
    unordered: true,
  },
  {
    name: 'subtract from an empty RDD is empty',
    run: (f, o) => f.parallelize([], 2).subtract(f.parallelize([1, 2])).collect(o),
    expected: [],
  },
  {
    name: 'subtract of typed values: removing 1 keeps "1"',
    run: (f, o) => f.parallelize([1, '1', 1.0, 2]).subtract(f.parallelize([1])).collect(o),
    expected: [['1'], [2]],
    unordered: true,
  },
  {
    name: 'cartesian: rdd.cartesian(rdd) of [1, 2] (rdd.py cartesian)',
    run: (f, o) => {
      const rdd = f.parallelize([1, 2]);
      return rdd.cartesian(rdd).collect(o);
    },
    expected: [
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
    ],
    unordered: true,
  },
  {
    name: 'cartesian 1..3 x 2..4 (RDDSuite cartesian on non-empty RDDs)',
    run: (f, o) => f.parallelize([1, 2, 3]).cartesian(f.parallelize([2, 3, 4])).collect(o),
    expected: [
      [1, 2],
      [1, 3],
      [1, 4],
      [2, 2],
      [2, 3],
      [2, 4],
      [3, 2],
      [3, 3],
      [3, 4],
    ],
    unordered: true,
  },
  {
    name: 'cartesian 1..3 x [1] (RDDSuite cartesian on non-empty RDDs)',
    run: (f, o) => f.parallelize([1, 2, 3]).cartesian(f.parallelize([1])).collect(o),
    expected: [
      [1, 1],
      [2, 1],
      [3, 1],
    ],
    unordered: true,
  },
  {
    name: 'cartesian [1] x 1..3 (RDDSuite cartesian on non-empty RDDs)',
    run: (f, o) => f.parallelize([1]).cartesian(f.parallelize([1, 2, 3])).collect(o),
    expected: [
      [1, 1],
      [1, 2],
      [1, 3],
    ],
    unordered: true,
  },
  {
    name: 'cartesian [1] x [1] (RDDSuite cartesian on non-empty RDDs)',
    run: (f, o) => f.parallelize([1]).cartesian(f.parallelize([1])).collect(o),
    expected: [[1, 1]],
  },
  {
    name: 'cartesian of an empty RDD with 1..3 is empty (RDDSuite cartesian on empty RDD)',
    run: (f, o) => f.parallelize([], 2).cartesian(f.parallelize([1, 2, 3])).collect(o),
    expected: [],
  },
  {
    name: 'cartesian of 1..3 with an empty RDD is empty',
    run: (f, o) => f.parallelize([1, 2, 3]).cartesian(f.parallelize([], 2)).collect(o),
    expected: [],
  },
  {
    // This project: cartesian rows are [...a, ...b].
    name: 'cartesian of pair rows concatenates the rows',
    run: (f, o) =>
      f
        .slices([
          [1, 'a'],
          [2, 'b'],
        ])
        .cartesian(f.slices([[9, 'z']]))
        .collect(o),
    expected: [
      [1, 'a', 9, 'z'],
      [2, 'b', 9, 'z'],
    ],
    unordered: true,
  },
  {
    name: 'cartesian of 40 x 50 rows has 2000 rows',
    run: (f, o) => f.parallelize(range(40), 4).cartesian(f.parallelize(range(50), 3)).count(o),
    expected: 2000,
  },

  // ---------------------------------------------------------------------------------------
  // sample: rdd.py sample doctest and RDDSuite sampling semantics; seeded and deterministic.
  // ---------------------------------------------------------------------------------------
  {
    name: 'sample(False, 0.1, 81) of range(100) in 4 slices keeps 6 to 14 elements (rdd.py sample)',
    run: async (f, o) => {
      const n = await f.parallelize(range(100), 4).sample(false, 0.1, 81).count(o);
      return n >= 6 && n <= 14;
    },
    expected: true,
  },
  {
    name: 'sample with one seed is deterministic and a subset in input order',
    run: async (f, o) => {
      const a = vals(await f.parallelize(range(1000), 4).sample(false, 0.3, 7).collect(o)) as number[];
      const b = vals(await f.parallelize(range(1000), 4).sample(false, 0.3, 7).collect(o)) as number[];
      return { same: JSON.stringify(a) === JSON.stringify(b), increasing: a.every((x, i) => i === 0 || x > a[i - 1]), plausible: a.length > 200 && a.length < 400 };
    },
    expected: { same: true, increasing: true, plausible: true },
  },
  {
    name: 'sample with two seeds gives two different samples',
    run: async (f, o) => {
      const a = vals(await f.parallelize(range(1000), 4).sample(false, 0.5, 1).collect(o));
      const b = vals(await f.parallelize(range(1000), 4).sample(false, 0.5, 2).collect(o));
      return JSON.stringify(a) === JSON.stringify(b);
    },
    expected: false,
  },
  {
    name: 'sample(False, 0.0) is empty and sample(False, 1.0) keeps everything',
    run: async (f, o) => [await f.parallelize(range(50), 3).sample(false, 0, 3).count(o), vals(await f.parallelize(range(50), 3).sample(false, 1, 3).collect(o))],
    expected: [0, range(50)],
  },
  {
    name: 'sample(True, 2.0, seed) draws about twice the rows, only input values',
    run: async (f, o) => {
      const xs = vals(await f.parallelize(range(100), 4).sample(true, 2, 5).collect(o)) as number[];
      return { plausible: xs.length > 140 && xs.length < 260, inRange: xs.every((x) => Number.isInteger(x) && x >= 0 && x < 100) };
    },
    expected: { plausible: true, inRange: true },
  },
  {
    name: 'sample(False, 1.5) is rejected (fraction must be in [0, 1] without replacement)',
    run: (f, o) => failure(() => f.parallelize([1, 2, 3]).sample(false, 1.5, 1).collect(o), /fraction/),
    expected: rejected(/fraction/),
  },

  // ---------------------------------------------------------------------------------------
  // cache(): RDDSuite "basic caching", rdd.py reduce doctest with cache(), PairRDDFunctionsSuite
  // "foldByKey with mutable result type" (cached input). Each uses its own Flow, closed after.
  // ---------------------------------------------------------------------------------------
  {
    name: 'cache: collect of a cached RDD three times (RDDSuite basic caching)',
    run: async (_f, o) => {
      const flow = new Flow('conformance cache');
      try {
        const rdd = flow.parallelize([1, 2, 3, 4], 2).cache();
        return [await rdd.collect(o), await rdd.collect(o), await rdd.collect(o)];
      } finally {
        await flow.close();
      }
    },
    expected: [
      [[1], [2], [3], [4]],
      [[1], [2], [3], [4]],
      [[1], [2], [3], [4]],
    ],
  },
  {
    name: 'cache: sc.parallelize(2 for _ in range(10)).map(lambda x: 1).cache().reduce(add) == 10 (rdd.py reduce)',
    run: async (_f, o) => {
      const flow = new Flow('conformance cache reduce');
      try {
        return await flow
          .parallelize(range(10).map(() => 2))
          .map(() => 1)
          .cache()
          .reduce((a: number, b: number) => a + b, o);
      } finally {
        await flow.close();
      }
    },
    expected: 10,
  },
  {
    name: 'cache: foldByKey over a cached mapValues, twice (PairRDDFunctionsSuite foldByKey with mutable result type)',
    run: async (_f, o) => {
      const flow = new Flow('conformance cache fold');
      try {
        const bufs = flow
          .slices(DUP_PAIRS, 2)
          .mapValues((v: number) => [v])
          .cache();
        const fold = async () =>
          (
            (await bufs
              .foldByKey([], (a: number[], b: number[]) => {
                a.push(...b);
                return a;
              })
              .mapValues((vs: number[]) => vs.slice().sort((a, b) => a - b))
              .collect(o)) as [number, number[]][]
          ).sort((a, b) => a[0] - b[0]);
        return [await fold(), await fold(), await bufs.count(o)];
      } finally {
        await flow.close();
      }
    },
    expected: [
      [
        [1, [1, 1, 2, 3]],
        [2, [1]],
      ],
      [
        [1, [1, 1, 2, 3]],
        [2, [1]],
      ],
      5,
    ],
  },
  {
    name: 'cache: a cached union is read twice (RDDSuite basic caching over SparkContext.union)',
    run: async (_f, o) => {
      const flow = new Flow('conformance cache union');
      try {
        const both = flow
          .parallelize([1, 2], 2)
          .map((x: number) => x * 10)
          .union(flow.parallelize([3], 1).map((x: number) => x * 10))
          .cache();
        return [vals(await both.collect(o)).sort(), await both.count(o)];
      } finally {
        await flow.close();
      }
    },
    expected: [[10, 20, 30], 3],
  },
  {
    name: 'cache: a cached dataset is computed once for two actions',
    run: async (_f, o) => {
      const dir = tmpDir();
      const file = path.join(dir, 'calls');
      const flow = new Flow('conformance cache once');
      try {
        const data = flow
          .parallelize(range(40), 4)
          .map(
            (x: number) => {
              require('node:fs').appendFileSync(params.file, 'x');
              return [x % 2, x];
            },
            { params: { file } },
          )
          .cache();
        const count = await data.count(o);
        const sums = ((await data.reduceByKey((a: number, b: number) => a + b).collect(o)) as number[][]).sort((a, b) => a[0] - b[0]);
        return { count, sums, calls: fs.readFileSync(file, 'utf8').length };
      } finally {
        await flow.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    expected: {
      count: 40,
      sums: [
        [0, 380],
        [1, 400],
      ],
      calls: 40,
    },
  },

  // ---------------------------------------------------------------------------------------
  // Empty RDDs, empty partitions, many partitions (RDDSuite "empty RDD", "partition pruning"
  // flavour; PairRDDFunctionsSuite "zero-partition RDD" flavour).
  // ---------------------------------------------------------------------------------------
  {
    name: 'reduceByKey of an empty RDD is empty',
    run: (f, o) =>
      f
        .slices([], 3)
        .reduceByKey((a: number, b: number) => a + b)
        .collect(o),
    expected: [],
  },
  {
    name: 'groupByKey of an empty RDD is empty',
    run: (f, o) => f.slices([], 3).groupByKey().collect(o),
    expected: [],
  },
  {
    name: 'sortByKey of an empty RDD is empty',
    run: (f, o) => f.slices([], 3).sortByKey().collect(o),
    expected: [],
  },
  {
    name: 'top(3) of an empty RDD is empty',
    run: (f, o) => f.parallelize([], 3).top(3).collect(o),
    expected: [],
  },
  {
    name: 'countByKey of an empty RDD is an empty map',
    run: async (f, o) => entries(await f.slices([], 3).countByKey(o)),
    expected: [],
  },
  {
    name: 'aggregateByKey of an empty RDD is empty',
    run: (f, o) =>
      f
        .slices([], 2)
        .aggregateByKey(
          0,
          (a: number, b: number) => a + b,
          (a: number, b: number) => a + b,
        )
        .collect(o),
    expected: [],
  },
  {
    name: 'take(5) of an empty RDD is []',
    run: (f, o) => f.parallelize([], 4).take(5, o),
    expected: [],
  },
  {
    name: 'mostly empty partitions: 3 values in 12 slices through reduceByKey and sort',
    run: (f, o) =>
      f
        .parallelize([3, 1, 3], 12)
        .map((x: number) => [x, 1])
        .reduceByKey((a: number, b: number) => a + b, { partitions: 6 })
        .sortByKey({ partitions: 4 })
        .collect(o),
    expected: [
      [1, 1],
      [3, 2],
    ],
  },
  {
    name: 'filter leaving all but one partition empty, then first and count',
    run: async (f, o) => {
      const rdd = f.parallelize(range(100), 10).filter((x: number) => x === 77);
      return [await rdd.first(o), await rdd.count(o)];
    },
    expected: [[77], 1],
  },
  {
    name: 'many partitions: range(1000) in 50 slices, count and sum',
    run: async (f, o) => {
      const rdd = f.parallelize(range(1000), 50);
      return [await rdd.count(o), await rdd.sum(o)];
    },
    expected: [1000, 499500],
  },
  {
    name: 'many partitions: reduceByKey over 40 input slices into 16 partitions',
    run: (f, o) =>
      f
        .parallelize(range(400), 40)
        .map((x: number) => [x % 4, 1])
        .reduceByKey((a: number, b: number) => a + b, { partitions: 16 })
        .collect(o),
    expected: [
      [0, 100],
      [1, 100],
      [2, 100],
      [3, 100],
    ],
    unordered: true,
  },
  {
    name: 'many partitions: sort of 2000 values into 20 partitions',
    run: async (f, o) =>
      vals(
        await f
          .parallelize(
            range(2000).map((i) => (i * 7) % 2000),
            8,
          )
          .sort({ partitions: 20 })
          .collect(o),
      ),
    expected: range(2000),
  },
  {
    name: 'many partitions: zipWithIndex over 25 slices',
    run: async (f, o) => {
      const rows = (await f.parallelize(range(100), 25).zipWithIndex().collect(o)) as number[][];
      return rows.every(([x, i]) => x === i) && rows.length === 100;
    },
    expected: true,
  },
  {
    name: 'word count: flatMap, reduceByKey, sort by count desc then word (Spark quick start)',
    run: (f, o) =>
      f
        .strings(['to be or not to be', 'that is the question', 'to be is to do'], 2)
        .flatMap((line: string) => line.split(' '))
        .map((w: string) => [w, 1])
        .reduceByKey((a: number, b: number) => a + b)
        .sort({ by: [[2, 'desc'], 1] })
        .take(4, o),
    expected: [
      ['to', 4],
      ['be', 3],
      ['is', 2],
      ['do', 1],
    ],
  },
  {
    name: 'a keyed pipeline: join, mapValues, reduceByKey, sortByKey',
    run: (f, o) => {
      const sales = f.slices(
        [
          ['apple', 3],
          ['pear', 1],
          ['apple', 2],
          ['fig', 5],
        ],
        2,
      );
      const prices = f.slices([
        ['apple', 0.5],
        ['pear', 2],
        ['kiwi', 9],
      ]);
      return sales
        .join(prices)
        .map((k: any, n: any, p: any) => [k, n * p])
        .reduceByKey((a: number, b: number) => a + b)
        .sortByKey()
        .collect(o);
    },
    expected: [
      ['apple', 2.5],
      ['pear', 2],
    ],
  },
];
