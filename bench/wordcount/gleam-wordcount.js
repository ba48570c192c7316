#!/usr/bin/env node
// Gleam word count, local mode. Usage: node gleam-wordcount.js <corpus> <outDir> [executors]
// Writes one "word\tcount" line per distinct word into <outDir>/part-NNNNN; prints nothing.
'use strict';
const { Flow } = require('@gleam/flow-dsl');

const [file, outDir, executors = '2'] = process.argv.slice(2);
if (!file || !outDir) {
  process.stderr.write('usage: node gleam-wordcount.js <corpus> <outDir> [executors]\n');
  process.exit(2);
}

// The corpus holds only [a-z], ' ' and '\n' (single spaces), so split(' ') tokenises like tr.
new Flow('bench word count')
  .textFile(file)
  .flatMap('(line) => line.split(" ")')
  .map('(w) => [w, 1]')
  .reduceBy('(a, b) => a + b')
  .saveAsTextFile(outDir)
  .run({ executors: Number(executors) })
  .catch((err) => {
    process.stderr.write(`gleam-wordcount: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
