#!/usr/bin/env node
// Sort and top-k against the Unix pipelines that do the same, in local mode.
//
//   node bench/jobs/run.js [--runs N (default 3)] [--records N (default 1000000)] [--size MB (default 200)]
//
// sort:  1M 100-byte records (gen_records.py) by their 10-byte key, gleam (textFile → map →
//        sort, 2 executors, 2 partitions, saveAsTextFile) vs `LC_ALL=C sort`. The outputs must be
//        byte-identical (gleam writes key<TAB>payload; the tab becomes the space again).
// top-k: the 10 most frequent words of the word-count corpus (gen_words.py), gleam (textFile →
//        flatMap(scan) → map → reduceBy → top(10)) vs
//        `tr -cs A-Za-z '\n' | sort | uniq -c | sort -rn | head -10`. Same (count, word) lines.
// Contenders run round robin; best and median wall seconds, ratios from the same invocation.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureCorpus, ensureRecords } = require('../benchData');
const { sq, timed } = require('../timing');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseArgs(argv) {
  const opts = { runs: 3, records: 1000000, size: 200 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    const key = name.replace(/^--/, '');
    if (!(key in opts) || !name.startsWith('--')) {
      process.stderr.write('usage: node bench/jobs/run.js [--runs N] [--records N] [--size MB]\n');
      process.exit(2);
    }
    const n = Number(argv[++i]);
    if (!(n > 0)) throw new Error(`${name} needs a positive number`);
    opts[key] = n;
  }
  return opts;
}

const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

function sortedGleam(dir) {
  if (!fs.existsSync(path.join(dir, '_SUCCESS'))) throw new Error(`gleam sort: no _SUCCESS in ${dir}`);
  const parts = fs.readdirSync(dir).filter((f) => f.startsWith('part-')).sort();
  // key<TAB>payload -> key payload (the key holds no tab: gen_records keys are printable, no tabs)
  return Buffer.from(parts.map((p) => fs.readFileSync(path.join(dir, p), 'latin1').replace(/\t/g, ' ')).join(''), 'latin1');
}

function topLines(file) {
  return fs.readFileSync(file, 'latin1').split('\n').filter(Boolean).map((l) => l.trim().replace(/\s+/, ' '));
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  return { best: s[0], median: s[(s.length - 1) >> 1] };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const records = ensureRecords(opts.records);
  const corpus = ensureCorpus(opts.size);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-jobs-'));
  const node = sq(process.execPath);
  const jobs = [
    {
      key: 'sort',
      title: `sort ${opts.records} records (${(fs.statSync(records).size / 1e6).toFixed(0)} MB)`,
      mb: fs.statSync(records).size / 1e6,
      gleam: (o) => `rm -rf ${sq(o)} && ${node} ${sq(path.join(root, 'bench', 'distributed', 'gleam-sort.js'))} ${sq(records)} ${sq(o)} local 2 2`,
      unix: (o) => `LC_ALL=C sort ${sq(records)} > ${sq(o)}`,
      verify(g, u) {
        const a = sortedGleam(g);
        const b = fs.readFileSync(u);
        if (!a.equals(b)) throw new Error('sort: gleam output differs from LC_ALL=C sort');
        return `byte-identical, ${b.toString('latin1').split('\n').length - 1} lines (SHA-256 ${sha(b).slice(0, 12)}…)`;
      },
    },
    {
      key: 'topk',
      title: `top-10 words of ${opts.size} MB`,
      mb: fs.statSync(corpus).size / 1e6,
      gleam: (o) => `${node} ${sq(path.join(here, 'gleam-topk.js'))} ${sq(corpus)} ${sq(o)} 10 2`,
      unix: (o) => `LC_ALL=C tr -cs A-Za-z '\\n' < ${sq(corpus)} | LC_ALL=C sort | uniq -c | LC_ALL=C sort -rn | head -10 > ${sq(o)}`,
      verify(g, u) {
        const a = topLines(g);
        const b = topLines(u);
        // Equal counts may come in either order inside the ten: compare the sorted lines.
        if (a.length !== 10 || [...a].sort().join('\n') !== [...b].sort().join('\n')) throw new Error(`top-k differs:\ngleam:\n${a.join('\n')}\nunix:\n${b.join('\n')}`);
        return `same 10 (count, word) lines, top: ${a[0]}`;
      },
    },
  ];
  const results = {};
  try {
    for (const job of jobs) {
      const r = (results[job.key] = { gleam: [], unix: [], verified: '' });
      for (let run = 1; run <= opts.runs; run++) {
        for (const who of ['gleam', 'unix']) {
          const out = path.join(tmp, `${job.key}-${who}`);
          const t = timed(`${job.key} ${who}`, job[who](out));
          r[who].push(t.wall);
          log(`run ${run}/${opts.runs} ${job.key} ${who} ${t.wall.toFixed(2)} s wall, ${t.cpu == null ? '?' : t.cpu.toFixed(2)} s cpu`);
        }
        r.verified = job.verify(path.join(tmp, `${job.key}-gleam`), path.join(tmp, `${job.key}-unix`));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const lines = [`local mode (2 executors) vs the Unix pipeline, ${opts.runs} runs, node ${process.version}, ${os.availableParallelism()} cores, 1-min load ${os.loadavg()[0].toFixed(2)} after`];
  for (const job of jobs) {
    const r = results[job.key];
    const g = stats(r.gleam);
    const u = stats(r.unix);
    const ratio = (x, y) => (x <= y ? `${(y / x).toFixed(2)}x faster` : `${(x / y).toFixed(2)}x slower`);
    lines.push(`${job.title}: gleam best ${g.best.toFixed(2)} s (median ${g.median.toFixed(2)}), unix best ${u.best.toFixed(2)} s (median ${u.median.toFixed(2)})`);
    lines.push(`  gleam is ${ratio(g.best, u.best)} on best, ${ratio(g.median, u.median)} on medians; verified: ${r.verified}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`bench/jobs: ${e.message}\n`);
  process.exit(1);
}
