// The Spark conformance cases in local mode: every case with 2 executors, and a handful with
// 1 executor and with 3 executors over 5 default partitions (results must not depend on them).
import { Flow, type RunOptions } from '@gleam/flow-dsl';
import { cases } from './cases';
import { checkCase, type ConformanceCase } from './support';

jest.setTimeout(30000);

/** Cases whose result does not depend on the executor or default partition counts. */
const PORTABLE = [
  'map: sc.parallelize([1, 2, 3, 4, 5]).map(lambda x: x * 2)',
  'glom: 7 values in 4 slices cut like Spark (rdd.py repartition doctest)',
  'take: sc.parallelize(range(100), 100).filter(lambda x: x > 90).take(3) (rdd.py take)',
  'reduceByKey: [("a", 1), ("b", 1), ("a", 1)] (rdd.py reduceByKey)',
  'groupByKey with duplicates (PairRDDFunctionsSuite)',
  'aggregateByKey: zero once per key and partition, max then add (Spark programming guide)',
  'join (PairRDDFunctionsSuite join)',
  'fullOuterJoin (PairRDDFunctionsSuite fullOuterJoin)',
  'cogroup / groupWith (PairRDDFunctionsSuite groupWith)',
  'sortByKey(True, 1) (rdd.py sortByKey)',
  'sort: 10000 shuffled values into 7 partitions come back in order',
  'top(5) of a shuffled 1 until 100000 in 2 slices (RDDSuite top with predefined ordering)',
  'takeOrdered(6, key=lambda x: -x) (rdd.py takeOrdered)',
  'zipWithIndex: 0 until 10 in 3 slices, index == value (RDDSuite zipWithIndex)',
  'stats of [2, 4, 4, 4, 5, 5, 7, 9] in 3 slices',
  'histogram(8) of 6 to 99 (DoubleRDDSuite WorksWithoutBucketsForLargerDatasets)',
  'distinct: sc.parallelize([1, 1, 2, 3]).distinct() (rdd.py distinct)',
  'subtract keeps duplicates of the left side (PairRDDFunctionsSuite subtract with narrow dependency)',
  'intersection strips duplicates of either input (RDDSuite)',
  'cartesian 1..3 x 2..4 (RDDSuite cartesian on non-empty RDDs)',
  'sample(False, 0.1, 81) of range(100) in 4 slices keeps 6 to 14 elements (rdd.py sample)',
];

const flow = new Flow('spark conformance (local)');
afterAll(() => flow.close());

function runEach(list: ConformanceCase[], opts: RunOptions): void {
  test.each(list.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    checkCase(c, await c.run(flow, opts));
  }, 20000);
}

describe('executors: 2', () => {
  runEach(cases, { executors: 2 });
});

describe('the portable cases are alike with other executor and partition counts', () => {
  const portable = PORTABLE.map((name) => {
    const c = cases.find((x) => x.name === name);
    if (!c) throw new Error(`no conformance case named ${JSON.stringify(name)}`);
    return c;
  });
  describe('executors: 1', () => {
    runEach(portable, { executors: 1 });
  });
  describe('executors: 3, partitions: 5', () => {
    runEach(portable, { executors: 3, partitions: 5 });
  });
});
