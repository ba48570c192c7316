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

// Two tokenizers, the same as the plain Node baselines use: `scan` finds runs of letters with
// charCodeAt (like tr -cs A-Za-z), `split` is line.split(' ') (the corpus has single spaces).
const SCAN = `(line) => {
  const out = [];
  const n = line.length;
  for (let i = 0; i < n; ) {
    let j = i;
    for (; j < n; j++) {
      const c = line.charCodeAt(j) | 32;
      if (c < 97 || c > 122) break;
    }
    if (j > i) out.push(line.slice(i, j));
    i = j + 1;
  }
  return out;
}`;
const SPLIT = '(line) => line.split(" ")';

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
