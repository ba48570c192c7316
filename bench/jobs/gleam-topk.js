#!/usr/bin/env node
// Gleam top-k, local mode: the k most frequent words of a corpus, largest count first.
//   node gleam-topk.js <corpus> <outFile> [k] [executors]
// Writes "count word" lines (the format of `uniq -c | sort -rn | head`, without the padding).
'use strict';
const fs = require('node:fs');
const { Flow } = require('@gleam/flow-dsl');
const { SCAN } = require('../wordcount/tokenizers');

const [file, outFile, k = '10', executors = '2'] = process.argv.slice(2);
if (!file || !outFile) {
  process.stderr.write('usage: node gleam-topk.js <corpus> <outFile> [k] [executors]\n');
  process.exit(2);
}

const lines = [];
new Flow('bench top k')
  .textFile(file)
  .flatMap(SCAN)
  .map('(w) => [w, 1]')
  .reduceBy('(a, b) => a + b')
  .top(Number(k), { by: [2] })
  .output((word, count) => void lines.push(`${count} ${word}\n`))
  .run({ executors: Number(executors) })
  .then(() => fs.writeFileSync(outFile, lines.join('')))
  .catch((err) => {
    process.stderr.write(`gleam-topk: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
