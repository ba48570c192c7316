// The word-count tokenizers as UDF source, shared by the local and distributed benchmarks; the
// plain-Node baselines implement the same two.
'use strict';

/** Runs of letters found with charCodeAt (like tr -cs A-Za-z '\n'). */
exports.SCAN = `(line) => {
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

/** line.split(' '): the corpus separates words by single spaces. */
exports.SPLIT = '(line) => line.split(" ")';
