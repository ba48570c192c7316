#!/usr/bin/env node
// Single-threaded plain Node word count. Usage: node plain-node-wordcount.js <corpus> <outFile>
// Streams the file in 4 MB chunks (latin1 decoding: exact for ASCII and cheap), cuts each
// chunk at its last newline, scans words (runs of A-Za-z, like `tr -cs A-Za-z '\n'`) with
// charCodeAt, counts them in a Map and writes "word\tcount" lines. No worker threads.
'use strict';
const fs = require('node:fs');

function countWords(s, counts) {
  const n = s.length;
  for (let i = 0; i < n; ) {
    let j = i;
    for (; j < n; j++) {
      const c = s.charCodeAt(j) | 32; // fold upper case onto lower case
      if (c < 97 || c > 122) break;   // not a letter: a separator
    }
    if (j > i) {
      const w = s.slice(i, j);
      counts.set(w, (counts.get(w) || 0) + 1);
    }
    i = j + 1;
  }
}

async function main(file, outFile) {
  const counts = new Map();
  let rest = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20, encoding: 'latin1' })) {
    const s = rest + chunk;
    const cut = s.lastIndexOf('\n') + 1; // keep the unfinished last line for the next chunk
    countWords(cut === s.length ? s : s.slice(0, cut), counts);
    rest = s.slice(cut);
  }
  countWords(rest, counts);
  let out = '';
  for (const [w, n] of counts) out += `${w}\t${n}\n`;
  fs.writeFileSync(outFile, out);
}

const [file, outFile] = process.argv.slice(2);
if (!file || !outFile) {
  process.stderr.write('usage: node plain-node-wordcount.js <corpus> <outFile>\n');
  process.exit(2);
}
main(file, outFile).catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
