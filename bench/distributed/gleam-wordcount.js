#!/usr/bin/env node
// Gleam word count on a cluster or in local mode (the flow of bench/wordcount/gleam-wordcount.js
// with the scan tokenizer).
//
//   node gleam-wordcount.js <corpus> <outDir> <master host:port | local> [executors]
//
// Writes one "word\tcount" line per distinct word into <outDir>/part-NNNNN; prints nothing.
// `executors` (default 2) only applies to local mode; on a cluster the job gets the slots the
// master grants. GLEAM_PROGRESS=1 prints per-task times to stderr.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [file, outDir, where, executors = '2'] = process.argv.slice(2);
if (!file || !outDir || !where) {
  process.stderr.write('usage: node gleam-wordcount.js <corpus> <outDir> <master host:port | local> [executors]\n');
  process.exit(2);
}

const { SCAN } = require('../wordcount/tokenizers');

const runOptions = where === 'local' ? { executors: Number(executors) } : { master: where };

new Flow('bench distributed word count')
  .textFile(file)
  .flatMap(SCAN)
  .map('(w) => [w, 1]')
  .reduceBy('(a, b) => a + b')
  .saveAsTextFile(outDir)
  .run(runOptions)
  .catch((err) => {
    process.stderr.write(`gleam-wordcount: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
