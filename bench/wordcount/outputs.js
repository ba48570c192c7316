// Reading word-count outputs into word -> count maps, and comparing two of them: shared by
// bench/wordcount/run.js and bench/all (npm run bench).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function addCount(counts, word, n, name) {
  if (!Number.isInteger(n)) throw new Error(`${name}: bad count for ${JSON.stringify(word)}`);
  if (word === '') return; // tr emits an empty line when the file starts with a separator
  if (counts.has(word)) throw new Error(`${name}: word ${JSON.stringify(word)} appears twice in the output`);
  counts.set(word, n);
}

/** "word<TAB>count" lines of the given files. */
function readTabbed(files, name) {
  const counts = new Map();
  for (const f of files) {
    for (const line of fs.readFileSync(f, 'latin1').split('\n')) {
      if (line === '') continue;
      const tab = line.lastIndexOf('\t');
      if (tab < 0) throw new Error(`${name}: line without a tab in ${f}: ${JSON.stringify(line)}`);
      addCount(counts, line.slice(0, tab), Number(line.slice(tab + 1)), name);
    }
  }
  return counts;
}

/** The part files of a gleam saveAsTextFile directory, in order; throws without _SUCCESS. */
function gleamParts(dir) {
  if (!fs.existsSync(path.join(dir, '_SUCCESS'))) throw new Error(`gleam: no _SUCCESS marker in ${dir}`);
  return fs.readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort().map((f) => path.join(dir, f));
}

function readGleam(dir) {
  return readTabbed(gleamParts(dir), 'gleam');
}

/** `uniq -c` output. */
function readUniq(file) {
  const counts = new Map();
  for (const line of fs.readFileSync(file, 'latin1').split('\n')) {
    if (line === '') continue;
    const m = /^\s*(\d+) (.*)$/.exec(line);
    if (!m) throw new Error(`unix: unexpected uniq -c line ${JSON.stringify(line)}`);
    addCount(counts, m[2], Number(m[1]), 'unix');
  }
  return counts;
}

/** Differences between two word -> count maps (empty when equal). */
function diff(a, b, nameA, nameB) {
  const out = [];
  for (const [w, n] of a) {
    if (!b.has(w)) out.push(`${JSON.stringify(w)}: ${nameA} ${n}, missing in ${nameB}`);
    else if (b.get(w) !== n) out.push(`${JSON.stringify(w)}: ${nameA} ${n}, ${nameB} ${b.get(w)}`);
  }
  for (const [w, n] of b) if (!a.has(w)) out.push(`${JSON.stringify(w)}: ${nameB} ${n}, missing in ${nameA}`);
  return out;
}

module.exports = { readTabbed, gleamParts, readGleam, readUniq, diff };
