#!/usr/bin/env node
// `npm run demo`: the word count example in local mode, on the bundled sample text
// (or on a file given as argument), with its plan first.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const gleam = path.join(root, 'packages', 'cli', 'bin', 'gleam.js');
const input = process.argv[2] ?? path.join(root, 'examples', 'data', 'sample.txt');

function step(title, args) {
  process.stdout.write(`\n== ${title}\n$ gleam ${args.join(' ')}\n`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [gleam, ...args], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || `gleam exited with ${r.status}\n`);
    process.exit(r.status ?? 1);
  }
  return { out: r.stdout, ms: Date.now() - started };
}

const plan = step('the plan of examples/wordcount.ts', ['plan', 'examples/wordcount.ts', input]);
process.stdout.write(plan.out.split('=== step groups ===')[1] ? `=== step groups ===${plan.out.split('=== step groups ===')[1]}` : plan.out);
const local = step('word count in local mode (worker-thread executors)', ['run', 'examples/wordcount.ts', input]);
const lines = local.out.trim().split('\n');
process.stdout.write(`${lines.slice(0, 10).join('\n')}\n... ${lines.length} distinct words in ${local.ms} ms\n`);
