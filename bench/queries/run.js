#!/usr/bin/env node
// Standing queries: 1, 10 and 50 queries over --mb MB of JSON lines (default 100) arriving as
// --files files (default 20), one file per batch, on 2 local executor threads. Figures: the
// time of a batch (its one job plus merging every query's state), shared (one engine holding N
// queries) against separate (each query in its own engine, so every query reads and parses the
// file itself). Targets: 50 shared <= 3 x one query; 50 shared >= 10 x less than 50 separate.
//
// Separate runs cost N jobs per batch, so they run over the first --separate-files files only
// (default 2); a batch of "50 separate" is the sum of the 50 engines' times for the same file,
// averaged over those files. Every engine first runs an untimed one-line batch (its executor
// threads start then). Each separate engine's result is checked against the shared engine's
// after the same files.
//
//   node bench/queries/run.js [--mb 100] [--files 20] [--counts 1,10,50] [--separate-files 2]
// The table goes to stdout, progress to stderr, figures to bench/results/queries-<ISO time>.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { writeResults } = require('../results');

const root = path.resolve(__dirname, '..', '..');
const { QueryEngine } = require(path.join(root, 'packages', 'queries'));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseArgs(argv) {
  const opts = { mb: 100, files: 20, counts: [1, 10, 50], separateFiles: 2 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (name === '--mb') opts.mb = Number(value);
    else if (name === '--files') opts.files = Number(value);
    else if (name === '--counts') opts.counts = value.split(',').map(Number);
    else if (name === '--separate-files') opts.separateFiles = Number(value);
    else throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
  }
  if (!(opts.mb > 0) || !(opts.files >= 1) || opts.counts.some((n) => !(n >= 1 && n <= 50)) || !(opts.separateFiles >= 1 && opts.separateFiles <= opts.files)) throw new Error('bad arguments');
  return opts;
}

// ---- data: deterministic event records, ~200 bytes a line ----

function writeData(dir, mb, files) {
  let s = 12345;
  const rnd = (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
  const langs = ['en', 'fr', 'de', 'es', 'it'];
  const statuses = ['ok', 'ok', 'ok', 'warn', 'error'];
  const words = ['alpha', 'beta', 'gamma', 'alto', 'delta'];
  const msgs = ['all good', 'timeout after 30s', 'disk 3 full', 'retry scheduled', 'connection timeout', 'cache miss on shard 17'];
  const perFile = Math.floor((mb * 1024 * 1024) / files);
  const names = [];
  let id = 0;
  let rows = 0;
  for (let f = 0; f < files; f++) {
    const parts = [];
    let bytes = 0;
    while (bytes < perFile) {
      const rec = { id: id++, ts: 1700000000000 + id * 7, n: rnd(100), price: 1 + rnd(1000), name: `${words[rnd(5)]}-${rnd(500)}`, status: statuses[rnd(5)], msg: msgs[rnd(6)], user: { lang: langs[rnd(5)], age: 18 + rnd(60), plan: rnd(3) === 0 ? 'pro' : 'free' } };
      const line = JSON.stringify(rec);
      parts.push(line);
      bytes += line.length + 1;
    }
    rows += parts.length;
    const name = `part-${String(f).padStart(3, '0')}.jsonl`;
    fs.writeFileSync(path.join(dir, name), parts.join('\n') + '\n');
    names.push(name);
  }
  return { names, rows };
}

// ---- queries: 50 of the kinds users register, overlapping as they would ----

const PREDICATES = ["status = 'error'", "status = 'warn'", 'n > 50', 'n <= 10', 'price > 900', "msg CONTAINS 'timeout'", "user.lang IN ('en', 'fr')", "name LIKE 'al%'", "user.plan = 'pro'", "msg MATCHES 'disk [0-9]+ full'"];
const GROUPS = ['', 'user.lang', 'status', 'user.lang, status', 'user.plan'];
const AGGS = ['count(*)', 'count(*), sum(price)', 'avg(n), max(price)'];

function queryText(i) {
  const where = i % 4 === 3 ? `${PREDICATES[i % 10]} AND ${PREDICATES[(i * 3 + 1) % 10]}` : PREDICATES[i % 10];
  if (i % 7 === 6) return `SELECT id, price WHERE ${where} ORDER BY price DESC, id LIMIT 10`;
  const group = GROUPS[Math.floor(i / 10) % GROUPS.length];
  return group ? `SELECT ${group}, ${AGGS[i % 3]} WHERE ${where} GROUP BY ${group}` : `SELECT ${AGGS[i % 3]} WHERE ${where}`;
}

// ---- runs ----

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One engine holding `texts`; the files dropped into its folder one batch at a time. Returns ms per batch and the results. */
async function runEngine(texts, dataDir, names) {
  const watch = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-q-watch-'));
  const engine = new QueryEngine({ watchDir: watch, format: 'jsonl', batchMs: 3_600_000, executors: 2 });
  await engine.start();
  const ids = texts.map((t) => engine.add(t).id);
  const ms = [];
  const jobMs = [];
  try {
    // Not timed: a one-line batch starts the executor threads, once per engine.
    fs.writeFileSync(path.join(watch, 'warm-up.jsonl'), JSON.stringify({ id: -1, n: 0, price: 1, status: 'ok', msg: '', name: '', user: { lang: 'en', age: 0, plan: 'free' } }) + '\n');
    await engine.batchNow();
    for (const name of names) {
      fs.linkSync(path.join(dataDir, name), path.join(watch, name));
      const t0 = process.hrtime.bigint();
      await engine.batchNow();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
      jobMs.push(engine.metrics().lastJobMs);
    }
    return { ms, jobMs, results: ids.map((id) => engine.get(id).rows), metrics: engine.metrics() };
  } finally {
    await engine.stop();
    fs.rmSync(watch, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-q-data-'));
  try {
    log(`writing ${opts.mb} MB of JSON lines as ${opts.files} files`);
    const { names, rows } = writeData(dataDir, opts.mb, opts.files);
    const bytes = names.reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0);
    log(`${rows} rows, ${(bytes / 1048576).toFixed(1)} MB`);
    // A warm-up engine, so the first figure does not pay for loading and compiling code.
    await runEngine([queryText(0)], dataDir, names.slice(0, 1));
    const figures = { startedAt, mb: bytes / 1048576, files: names.length, rows, separateFiles: opts.separateFiles, runs: [] };
    for (const n of opts.counts) {
      const texts = Array.from({ length: n }, (_, i) => queryText(i));
      log(`${n} shared`);
      const shared = await runEngine(texts, dataDir, names);
      // Every row parsed once (plus the warm-up line), one job per batch (plus the warm-up's).
      if (shared.metrics.rowsParsed !== rows + 1 || shared.metrics.jobs !== names.length + 1) throw new Error(`shared ${n}: rowsParsed ${shared.metrics.rowsParsed} (want ${rows + 1}), jobs ${shared.metrics.jobs} (want ${names.length + 1})`);
      // Separate: each query alone, over the first files; its result must equal the shared one's after the same files.
      log(`${n} separate (over ${opts.separateFiles} files)`);
      const sub = await runEngine(texts, dataDir, names.slice(0, opts.separateFiles));
      const perFile = new Array(opts.separateFiles).fill(0);
      for (let i = 0; i < n; i++) {
        const alone = await runEngine([texts[i]], dataDir, names.slice(0, opts.separateFiles));
        alone.ms.forEach((m, f) => (perFile[f] += m));
        if (JSON.stringify(alone.results[0]) !== JSON.stringify(sub.results[i])) throw new Error(`query ${texts[i]}: alone ${JSON.stringify(alone.results[0])} != shared ${JSON.stringify(sub.results[i])}`);
      }
      figures.runs.push({
        queries: n,
        sharedMsPerBatch: mean(shared.ms),
        sharedMsPerBatchP50: shared.ms.slice().sort((a, b) => a - b)[Math.floor(shared.ms.length / 2)],
        sharedJobMsPerBatch: mean(shared.jobMs),
        separateMsPerBatch: mean(perFile),
        predicates: shared.metrics.predicates,
        filters: shared.metrics.filters,
        groupTables: shared.metrics.groupTables,
        rowBuffers: shared.metrics.rowBuffers,
        predicateEvaluations: shared.metrics.predicateEvaluations,
      });
    }
    const one = figures.runs.find((r) => r.queries === 1);
    const fifty = figures.runs.find((r) => r.queries === Math.max(...opts.counts));
    console.log(`standing queries over ${figures.mb.toFixed(1)} MB of JSON lines (${rows} rows) arriving as ${names.length} files, one per batch, 2 executor threads`);
    console.log('queries | shared ms/batch (job) | separate ms/batch | separate/shared | distinct predicates | WHERE filters | group tables');
    for (const r of figures.runs) {
      console.log(`${String(r.queries).padStart(7)} | ${`${r.sharedMsPerBatch.toFixed(0)} (${r.sharedJobMsPerBatch.toFixed(0)})`.padStart(21)} | ${r.separateMsPerBatch.toFixed(0).padStart(17)} | ${(r.separateMsPerBatch / r.sharedMsPerBatch).toFixed(1).padStart(15)} | ${String(r.predicates).padStart(19)} | ${String(r.filters).padStart(13)} | ${String(r.groupTables).padStart(12)}`);
    }
    if (one && fifty && fifty !== one) {
      figures.sharedVsOne = fifty.sharedMsPerBatch / one.sharedMsPerBatch;
      figures.separateVsShared = fifty.separateMsPerBatch / fifty.sharedMsPerBatch;
      console.log(`${fifty.queries} shared / 1 query: ${figures.sharedVsOne.toFixed(2)}x (target <= 3x); ${fifty.queries} separate / ${fifty.queries} shared: ${figures.separateVsShared.toFixed(1)}x (target >= 10x)`);
    }
    console.log(`separate runs: each query in its own engine over the first ${opts.separateFiles} files; ms/batch is the sum over the queries for one file`);
    log(`figures in ${writeResults('queries', figures, startedAt)}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e.stack || e.message);
    process.exit(1);
  },
);
