// Benchmark inputs made by the generators in ../shared/bench-data (the shared/ folder next to
// this repository), cached in bench/data (git-ignored). Used by bench/wordcount and
// bench/distributed, so both measure the same files.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// The reference generators live in ../shared/bench-data; bench/all/generators holds copies so
// `npm run bench` also works in a checkout without shared/ next to it.
const sharedDir = [path.resolve(root, '..', 'shared', 'bench-data'), path.join(root, 'bench', 'all', 'generators')]
  .find((d) => fs.existsSync(d)) || path.resolve(root, '..', 'shared', 'bench-data');
const dataDir = path.join(root, 'bench', 'data');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// gen_words.py writes at most SIZE_MB * 10^6 bytes, cut at a line boundary (a line is at most
// 15 words of at most ~30 letters), so a good corpus is within a few hundred bytes under target.
// (The same check as bench/wordcount/run.js, so both benchmarks share the corpus.)
function corpusIsGood(file, target) {
  try {
    const { size } = fs.statSync(file);
    return size <= target && size > target - 4096;
  } catch {
    return false;
  }
}

// gen_records.py writes exactly 100 bytes per record.
function recordsAreGood(file, n) {
  try {
    return fs.statSync(file).size === n * 100;
  } catch {
    return false;
  }
}

function generate(file, script, args, isGood, what) {
  if (isGood(file)) return file;
  const generator = path.join(sharedDir, script);
  if (!fs.existsSync(generator)) {
    throw new Error(
      `the ${what} ${path.relative(root, file)} is missing or of the wrong size, and the generator\n` +
      `  was not found. It is expected at ${generator}\n` +
      `  (the shared/ folder next to this repository: <repo>/../shared/bench-data/${script}).\n` +
      `  Check out shared/ next to the repository, or create the file yourself with\n` +
      `  python3 ${script} ${file} ${args.join(' ')}`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  log(`generating the ${what}: python3 ${generator} ${path.relative(root, file)} ${args.join(' ')}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('python3', [generator, tmp, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`generating the ${what} failed (${r.error ? r.error.message : `exit ${r.status}`}); is python3 installed?`);
  }
  fs.renameSync(tmp, file);
  log(`${what} ready in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
  if (!isGood(file)) throw new Error(`generated ${file} does not have the expected size`);
  return file;
}

function ensureCorpus(sizeMb) {
  const file = path.join(dataDir, `words-${sizeMb}mb.txt`);
  const target = Math.floor(sizeMb * 1e6);
  return generate(file, 'gen_words.py', [String(sizeMb)], (f) => corpusIsGood(f, target), `${sizeMb} MB corpus`);
}

/** n records of gen_records.py; another `seed` gives other keys (the memory benchmark's join side). */
function ensureRecords(n, seed = 42) {
  const base = n % 1000000 === 0 ? `records-${n / 1000000}m` : `records-${n}`;
  const file = path.join(dataDir, `${base}${seed === 42 ? '' : `-s${seed}`}.txt`);
  return generate(file, 'gen_records.py', [String(n), '--seed', String(seed)], (f) => recordsAreGood(f, n), `${n} records file`);
}

// ---------------------------------------------------------------- join tables

const SEGMENTS = ['retail', 'wholesale', 'online', 'partner', 'internal'];

/** Writes lines from `next(i)` for i < n to `file` through a temporary file, 64k lines at a time. */
function writeLines(file, header, n, next) {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, `${header}\n`);
    for (let i = 0; i < n; i += 65536) {
      const lines = [];
      for (let j = i; j < Math.min(n, i + 65536); j++) lines.push(next(j));
      fs.writeSync(fd, `${lines.join('\n')}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Two CSV tables for the join benchmark, made here (deterministic, seeded xorshift32):
 *   customers-<R>.csv  header key,name,segment; key = 0..R-1 once each (in order)
 *   orders-<L>-<R>.csv header key,order_id,amount; key uniform in [0, 2R), so about half of
 *                      the orders find their customer; order_id = row number; amount < 10^6
 * Only digits, letters and commas: a CSV reader with type inference (pandas) and one without
 * (gleam's, strings) print every field alike. Returns { left, right } (orders, customers).
 */
function ensureJoinTables(leftRows, rightRows) {
  fs.mkdirSync(dataDir, { recursive: true });
  const right = path.join(dataDir, `customers-${rightRows}.csv`);
  const left = path.join(dataDir, `orders-${leftRows}-${rightRows}.csv`);
  if (!fs.existsSync(right)) {
    log(`generating ${path.relative(root, right)}`);
    writeLines(right, 'key,name,segment', rightRows, (i) => `${i},customer${i},${SEGMENTS[i % SEGMENTS.length]}`);
  }
  if (!fs.existsSync(left)) {
    log(`generating ${path.relative(root, left)}`);
    let x = 2463534242;
    const next = () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    writeLines(left, 'key,order_id,amount', leftRows, (i) => `${next() % (2 * rightRows)},${i},${next() % 1000000}`);
  }
  return { left, right };
}

module.exports = { ensureCorpus, ensureRecords, ensureJoinTables, dataDir };
