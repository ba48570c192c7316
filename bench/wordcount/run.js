#!/usr/bin/env node
// Word-count benchmark: Gleam (local mode) against the Unix pipeline and a plain Node program.
//
//   node bench/wordcount/run.js [--size MB] [--runs N] [--executors N]
//   pnpm bench:wordcount            (builds the packages first, then runs this with defaults)
//
// Generates bench/data/words-<MB>mb.txt with ../shared/bench-data/gen_words.py when it is
// missing or of the wrong size, runs each contender N times (round robin, so drift in the
// machine hits all of them alike), checks that all contenders produce the same (word, count)
// multiset, prints best/median wall seconds and writes bench/results/wordcount-<date>.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const dataDir = path.join(root, 'bench', 'data');
const resultsDir = path.join(root, 'bench', 'results');

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`run.js: ${msg}\n`);
  process.stderr.write('usage: node bench/wordcount/run.js [--size MB (default 200)] [--runs N (default 3)] [--executors N (default 2)]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { size: 200, runs: 3, executors: 2 };
  for (let i = 0; i < argv.length; i++) {
    let [name, value] = argv[i].split('=', 2);
    if (name === '-h' || name === '--help') usage();
    if (!['--size', '--runs', '--executors'].includes(name)) usage(`unknown argument ${argv[i]}`);
    if (value === undefined) value = argv[++i];
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n <= 0) usage(`${name} needs a positive number`);
    if (name !== '--size' && !Number.isInteger(n)) usage(`${name} needs a whole number`);
    opts[name.slice(2)] = n;
  }
  return opts;
}

// ---------------------------------------------------------------- corpus

const { ensureCorpus } = require('../benchData');

// ---------------------------------------------------------------- running

const { sq, timed } = require('../timing');

// ---------------------------------------------------------------- reading outputs

const { readTabbed, readGleam, readUniq, diff } = require('./outputs');

// ---------------------------------------------------------------- report

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// "3.10x faster" / "1.34x slower": gleam's time against another contender's time.
function ratioShort(gleam, other) {
  const r = other / gleam;
  return r >= 1 ? `${r.toFixed(2)}x faster` : `${(1 / r).toFixed(2)}x slower`;
}

function ratioText(gleam, other, otherName) {
  return `gleam is ${ratioShort(gleam, other)} than ${otherName}`;
}

function pad(s, n, right) {
  s = String(s);
  return right ? s.padStart(n) : s.padEnd(n);
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const file = ensureCorpus(opts.size);
  const bytes = fs.statSync(file).size;
  const mb = bytes / 1e6;
  const outRoot = path.join(dataDir, `wordcount-out-${process.pid}`);
  fs.mkdirSync(outRoot, { recursive: true });
  const node = sq(process.execPath);

  const contenders = [
    {
      key: 'gleam',
      name: `gleam scan (local, ${opts.executors} ex.)`,
      out: path.join(outRoot, 'gleam'),
      cmd: (o) => `rm -rf ${sq(o)} && ${node} ${sq(path.join(here, 'gleam-wordcount.js'))} ${sq(file)} ${sq(o)} ${opts.executors} scan`,
      read: readGleam,
    },
    {
      key: 'unix',
      name: 'unix (tr | sort | uniq -c)',
      out: path.join(outRoot, 'unix.txt'),
      cmd: (o) => `LC_ALL=C tr -cs A-Za-z '\\n' < ${sq(file)} | LC_ALL=C sort | uniq -c > ${sq(o)}`,
      read: readUniq,
    },
    {
      key: 'node',
      name: 'plain node scan (1 thread)',
      out: path.join(outRoot, 'node.txt'),
      cmd: (o) => `${node} ${sq(path.join(here, 'plain-node-wordcount.js'))} ${sq(file)} ${sq(o)}`,
      read: (o) => readTabbed([o], 'plain node'),
    },
    {
      key: 'gleamSplit',
      name: `gleam split (local, ${opts.executors} ex.)`,
      out: path.join(outRoot, 'gleam-split'),
      cmd: (o) => `rm -rf ${sq(o)} && ${node} ${sq(path.join(here, 'gleam-wordcount.js'))} ${sq(file)} ${sq(o)} ${opts.executors} split`,
      read: readGleam,
    },
    {
      key: 'nodeSplit',
      name: 'plain node split (1 thread)',
      out: path.join(outRoot, 'node-split.txt'),
      cmd: (o) => `${node} ${sq(path.join(here, 'plain-node-split-wordcount.js'))} ${sq(file)} ${sq(o)}`,
      read: (o) => readTabbed([o], 'plain node split'),
    },
  ];
  for (const c of contenders) c.runs = [];

  process.stderr.write(`[bench] corpus ${path.relative(root, file)}: ${mb.toFixed(1)} MB; ${opts.runs} runs each; ${os.availableParallelism()} cores\n`);
  const loadBefore = os.loadavg();
  if (loadBefore[0] > os.availableParallelism() / 2) process.stderr.write(`[bench] warning: the machine is busy (load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}); figures will be noisy\n`);
  const verification = { ok: true, runsChecked: 0, distinctWords: null, totalWords: null, differences: [] };
  try {
    for (let run = 1; run <= opts.runs; run++) {
      const results = {};
      for (const c of contenders) {
        const t = timed(c.name, c.cmd(c.out));
        c.runs.push(t);
        process.stderr.write(`[bench] run ${run}/${opts.runs} ${pad(c.name, 28)} ${t.wall.toFixed(2)} s wall, ${t.cpu == null ? '?' : t.cpu.toFixed(2)} s cpu\n`);
        results[c.key] = c.read(c.out);
      }
      // Every run's outputs are checked against each other (cheap: ~50k distinct words).
      const ref = results.unix;
      for (const c of contenders) {
        if (c.key === 'unix') continue;
        const d = diff(results[c.key], ref, c.key, 'unix');
        if (d.length) {
          verification.ok = false;
          verification.differences.push(`run ${run}: ${c.key} vs unix: ${d.length} differences, e.g. ${d.slice(0, 5).join('; ')}`);
        }
      }
      verification.runsChecked++;
      verification.distinctWords = ref.size;
      verification.totalWords = [...ref.values()].reduce((a, b) => a + b, 0);
    }
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }

  const loadAfter = os.loadavg();

  // ------------------------------------------------------------ table
  for (const c of contenders) {
    const walls = c.runs.map((r) => r.wall);
    c.best = Math.min(...walls);
    c.median = median(walls);
    c.mbps = mb / c.best;
    const bestRun = c.runs[walls.indexOf(c.best)];
    c.cpuBest = bestRun.cpu;
  }
  const [g, u, n, gs, ns] = contenders;
  const header = `${pad('name', 32)} ${pad('best s', 8, true)} ${pad('median s', 9, true)} ${pad('MB/s', 7, true)} ${pad('cpu s*', 7, true)}`;
  const lines = [
    `word count, ${mb.toFixed(1)} MB corpus (${verification.totalWords} words, ${verification.distinctWords} distinct), ${opts.runs} runs, node ${process.version}, ${os.availableParallelism()} cores`,
    header,
    '-'.repeat(header.length),
    ...contenders.map((c) => `${pad(c.name, 32)} ${pad(c.best.toFixed(2), 8, true)} ${pad(c.median.toFixed(2), 9, true)} ${pad(c.mbps.toFixed(1), 7, true)} ${pad(c.cpuBest == null ? '?' : c.cpuBest.toFixed(2), 7, true)}`),
    `(* user+sys CPU seconds of the best run, all processes and threads; 1-min load average ${loadBefore[0].toFixed(2)} before, ${loadAfter[0].toFixed(2)} after)`,
    '',
    `${ratioText(g.best, u.best, 'the unix pipeline')} (best ${g.best.toFixed(2)} s vs ${u.best.toFixed(2)} s; on medians ${ratioShort(g.median, u.median)})`,
    `${ratioText(g.best, n.best, 'plain node')} with the same scan tokenizer (best ${g.best.toFixed(2)} s vs ${n.best.toFixed(2)} s; on medians ${ratioShort(g.median, n.median)})`,
    `${ratioText(gs.best, ns.best, 'plain node')} with the same split tokenizer (best ${gs.best.toFixed(2)} s vs ${ns.best.toFixed(2)} s; on medians ${ratioShort(gs.median, ns.median)})`,
    verification.ok
      ? `verified: all five produced the same ${verification.distinctWords} (word, count) pairs in each of ${verification.runsChecked} runs`
      : `VERIFICATION FAILED:\n  ${verification.differences.join('\n  ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  // ------------------------------------------------------------ JSON
  const now = new Date();
  const json = {
    benchmark: 'wordcount',
    date: now.toISOString(),
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
    machine: { cores: os.availableParallelism(), cpu: os.cpus()[0] && os.cpus()[0].model, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), platform: `${os.platform()} ${os.release()}` },
    node: process.version,
    corpus: { file: path.relative(root, file), bytes, mb: +mb.toFixed(3), sizeArg: opts.size, words: verification.totalWords, distinctWords: verification.distinctWords },
    runs: opts.runs,
    executors: opts.executors,
    results: Object.fromEntries(contenders.map((c) => [c.key, {
      name: c.name,
      command: c.cmd('<out>'),
      wallSeconds: c.runs.map((r) => +r.wall.toFixed(3)),
      cpuSeconds: c.runs.map((r) => (r.cpu == null ? null : +r.cpu.toFixed(3))),
      best: +c.best.toFixed(3),
      median: +c.median.toFixed(3),
      mbPerSecond: +c.mbps.toFixed(2),
    }])),
    ratios: {
      gleamVsUnix: { best: +(u.best / g.best).toFixed(3), median: +(u.median / g.median).toFixed(3), text: ratioText(g.best, u.best, 'the unix pipeline') },
      gleamVsPlainNode: { best: +(n.best / g.best).toFixed(3), median: +(n.median / g.median).toFixed(3), text: ratioText(g.best, n.best, 'plain node') },
    },
    verification,
  };
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `wordcount-${now.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`results written to ${path.relative(root, out)}\n`);
  if (!verification.ok) process.exit(1);
}

try {
  main();
} catch (err) {
  process.stderr.write(`run.js: ${err && err.message ? err.message : err}\n`);
  process.exit(1);
}
