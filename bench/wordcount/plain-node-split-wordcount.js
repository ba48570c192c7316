#!/usr/bin/env node
// Single-threaded plain Node word count with split: lines of 4 MB latin1 chunks, line.split(' '),
// counts in a Map, "word\tcount" lines out. The corpus holds single spaces between words.
// Usage: node plain-node-split-wordcount.js <corpus> <outFile>
'use strict';
const fs = require('node:fs');

async function main(file, outFile) {
  const counts = new Map();
  let rest = '';
  const count = (text) => {
    for (const line of text.split('\n')) for (const w of line.split(' ')) if (w) counts.set(w, (counts.get(w) || 0) + 1);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20, encoding: 'latin1' })) {
    const s = rest + chunk;
    const cut = s.lastIndexOf('\n');
    count(s.slice(0, cut));
    rest = s.slice(cut + 1);
  }
  count(rest);
  let out = '';
  for (const [w, n] of counts) out += `${w}\t${n}\n`;
  fs.writeFileSync(outFile, out);
}

const [file, outFile] = process.argv.slice(2);
if (!file || !outFile) {
  process.stderr.write('usage: node plain-node-split-wordcount.js <corpus> <outFile>\n');
  process.exit(2);
}
main(file, outFile).catch((err) => { process.stderr.write(`${err.stack || err}\n`); process.exit(1); });
