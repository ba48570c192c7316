// Where a benchmark runner keeps its figures: bench/results/<name>-<ISO time>.json (ignored by git).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Writes `figures` as JSON; returns the file's path relative to the repository root. */
function writeResults(name, figures, startedAt = new Date().toISOString()) {
  const dir = path.join(root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${startedAt.replace(/[:.]/g, '-').replace(/-\d+Z$/, 'Z')}.json`);
  fs.writeFileSync(file, JSON.stringify(figures, null, 2));
  return path.relative(root, file);
}

module.exports = { writeResults };
