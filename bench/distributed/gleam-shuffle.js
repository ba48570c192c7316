#!/usr/bin/env node
// A flow whose cost is one hash shuffle: every line of the records file is hash-partitioned by
// the whole line into `partitions` (default 2) partitions, then counted, on a cluster or locally.
//
//   node gleam-shuffle.js <records> <master host:port | local> [executors] [partitions]
//
// Plan: TextFile -> ScatterPartitions (hash of field 1) | CollectPartitions -> CountRows -> count.
// Prints the row count on stdout.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [file, where, executors = '2', partitions = '2'] = process.argv.slice(2);
if (!file || !where) {
  process.stderr.write('usage: node gleam-shuffle.js <records> <master host:port | local> [executors] [partitions]\n');
  process.exit(2);
}

const runOptions = where === 'local' ? { executors: Number(executors) } : { master: where };

new Flow('bench distributed shuffle')
  .textFile(file)
  .partition(Number(partitions), { by: [1] })
  .count(runOptions)
  .then((n) => process.stdout.write(`${n}\n`))
  .catch((err) => {
    process.stderr.write(`gleam-shuffle: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
