// The local jobs of `npm run bench`: ours (gleam, local mode, 2 executors) and the baselines a
// user would otherwise pick, each with its input, its command and the check of its output
// against ours.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ensureCorpus, ensureRecords, ensureJoinTables } = require('../benchData');
const { sq } = require('../timing');
const { readTabbed, readGleam, readUniq, diff, gleamParts } = require('../wordcount/outputs');

const bench = path.resolve(__dirname, '..');
const node = sq(process.execPath);
const script = (...p) => sq(path.join(bench, ...p));

function sameCounts(ours, theirs, name) {
  const d = diff(ours, theirs, 'gleam', name);
  if (d.length) throw new Error(`word count: gleam and ${name} differ in ${d.length} words, e.g. ${d.slice(0, 3).join('; ')}`);
  return `same ${ours.size} (word, count) pairs`;
}

/** Word count of the gen_words.py corpus: Python Counter and tr | sort | uniq -c. */
function wordcount({ scale, python }) {
  const mb = Math.max(1, Math.round(200 * scale));
  const corpus = ensureCorpus(mb);
  return {
    key: 'wordcount',
    title: `word count ${mb} MB`,
    ours: { tool: 'gleam (local, 2 executors)', cmd: (o) => `rm -rf ${sq(o)} && ${node} ${script('wordcount', 'gleam-wordcount.js')} ${sq(corpus)} ${sq(o)} 2 scan` },
    baselines: [
      {
        tool: 'Python collections.Counter',
        cmd: (o) => `${sq(python)} ${script('wordcount', 'python-counter.py')} ${sq(corpus)} ${sq(o)}`,
        verify: (g, o) => sameCounts(readGleam(g), readTabbed([o], 'Counter'), 'Counter'),
      },
      {
        tool: 'tr | sort | uniq -c',
        cmd: (o) => `LC_ALL=C tr -cs A-Za-z '\\n' < ${sq(corpus)} | LC_ALL=C sort | uniq -c > ${sq(o)}`,
        verify: (g, o) => sameCounts(readGleam(g), readUniq(o), 'uniq -c'),
      },
    ],
  };
}

const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex').slice(0, 12);

/** Sort of gen_records.py records by key: LC_ALL=C sort; the outputs must be byte-identical. */
function sort({ scale }) {
  const n = Math.max(1000, Math.round(1e6 * scale));
  const records = ensureRecords(n);
  return {
    key: 'sort',
    title: `sort ${n.toLocaleString('en')} records (${(n / 1e4).toFixed(0)} MB)`,
    ours: { tool: 'gleam (local, 2 executors)', cmd: (o) => `rm -rf ${sq(o)} && ${node} ${script('distributed', 'gleam-sort.js')} ${sq(records)} ${sq(o)} local 2 2` },
    baselines: [
      {
        tool: 'LC_ALL=C sort',
        cmd: (o) => `LC_ALL=C sort ${sq(records)} > ${sq(o)}`,
        verify(g, o) {
          // gleam writes key<TAB>payload; gen_records keys hold no tab, so the first tab of each
          // line is the space of the record.
          const ours = Buffer.from(gleamParts(g).map((f) => fs.readFileSync(f, 'latin1').replace(/\t/g, ' ')).join(''), 'latin1');
          const theirs = fs.readFileSync(o);
          if (!ours.equals(theirs)) throw new Error('sort: gleam output is not byte-identical to LC_ALL=C sort');
          return `byte-identical (SHA-256 ${sha(theirs)}…)`;
        },
      },
    ],
  };
}

/** The lines of some files, sorted: a join's output order is not defined. */
function sortedLines(files) {
  const lines = [];
  for (const f of files) for (const l of fs.readFileSync(f, 'latin1').split('\n')) if (l) lines.push(l);
  return lines.sort();
}

/** CSV inner join orders ⋈ customers on key: pandas merge; the same rows. */
function join({ scale, python }) {
  const left = Math.max(1000, Math.round(1e6 * scale));
  const right = Math.max(100, Math.round(1e5 * scale));
  const t = ensureJoinTables(left, right);
  return {
    key: 'join',
    title: `CSV join ${left.toLocaleString('en')} × ${right.toLocaleString('en')} rows`,
    ours: { tool: 'gleam (local, 2 executors)', cmd: (o) => `rm -rf ${sq(o)} && ${node} ${script('join', 'gleam-join.js')} ${sq(t.left)} ${sq(t.right)} ${sq(o)} 2` },
    baselines: [
      {
        tool: 'pandas merge',
        cmd: (o) => `${sq(python)} ${script('join', 'pandas_join.py')} ${sq(t.left)} ${sq(t.right)} ${sq(o)}`,
        verify(g, o) {
          const ours = sortedLines(gleamParts(g));
          const theirs = sortedLines([o]);
          if (ours.length !== theirs.length) throw new Error(`join: gleam has ${ours.length} rows, pandas ${theirs.length}`);
          const at = ours.findIndex((l, i) => l !== theirs[i]);
          if (at >= 0) throw new Error(`join: rows differ, e.g. gleam ${JSON.stringify(ours[at])} vs pandas ${JSON.stringify(theirs[at])}`);
          return `same ${ours.length} rows`;
        },
      },
    ],
  };
}

module.exports = { wordcount, sort, join, sameCounts };
