#!/usr/bin/env node
// Gleam word count, local mode. Usage: node gleam-wordcount.js <corpus> <outDir> [executors] [scan|split]
// Writes one "word\tcount" line per distinct word into <outDir>/part-NNNNN; prints nothing.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [file, outDir, executors = '2', tokenizer = 'scan'] = process.argv.slice(2);
if (!file || !outDir) {
  process.stderr.write('usage: node gleam-wordcount.js <corpus> <outDir> [executors]\n');
  process.exit(2);
}

// The same tokenizers the plain Node baselines use (scan by default).
const { SCAN, SPLIT } = require('./tokenizers');

new Flow('bench word count')
  .textFile(file)
  .flatMap(tokenizer === 'split' ? SPLIT : SCAN)
  .map('(w) => [w, 1]')
  .reduceBy('(a, b) => a + b')
  .saveAsTextFile(outDir)
  .run({ executors: Number(executors) })
  .catch((err) => {
    process.stderr.write(`gleam-wordcount: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
