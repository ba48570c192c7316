#!/usr/bin/env node
// Gleam sort of 100-byte records (gen_records.py) by their 10-byte key, on a cluster or locally.
//
//   node gleam-sort.js <records> <outDir> <master host:port | local> [executors] [partitions]
//
// Each line "KEY PAYLOAD" becomes the row [KEY, PAYLOAD]; the rows are range-partitioned and
// sorted by KEY into `partitions` (default 2) partitions and written as "KEY\tPAYLOAD" lines to
// <outDir>/part-NNNNN (partition order = global order). Prints nothing.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [file, outDir, where, executors = '2', partitions = '2'] = process.argv.slice(2);
if (!file || !outDir || !where) {
  process.stderr.write('usage: node gleam-sort.js <records> <outDir> <master host:port | local> [executors] [partitions]\n');
  process.exit(2);
}

const runOptions = where === 'local' ? { executors: Number(executors) } : { master: where };

new Flow('bench distributed sort')
  .textFile(file)
  .map('(line) => [line.slice(0, 10), line.slice(11)]')
  .sort({ by: [1], partitions: Number(partitions) })
  .saveAsTextFile(outDir)
  .run(runOptions)
  .catch((err) => {
    process.stderr.write(`gleam-sort: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
