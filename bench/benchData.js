// Benchmark inputs made by the generators in ../shared/bench-data (the shared/ folder next to
// this repository), cached in bench/data (git-ignored). Used by bench/wordcount and
// bench/distributed, so both measure the same files.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const sharedDir = path.resolve(root, '..', 'shared', 'bench-data');
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

function ensureRecords(n) {
  const name = n % 1000000 === 0 ? `records-${n / 1000000}m.txt` : `records-${n}.txt`;
  const file = path.join(dataDir, name);
  return generate(file, 'gen_records.py', [String(n)], (f) => recordsAreGood(f, n), `${n} records file`);
}

module.exports = { ensureCorpus, ensureRecords, dataDir };
