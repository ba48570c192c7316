#!/usr/bin/env node
// The 1M-record sort (issue 13 point 2) against `LC_ALL=C sort`: wall time, CPU time and peak
// RSS of each, alternating runs (A B A B ...), medians, and the output checked byte-identical
// after every gleam run. Records from bench/memory/genRecords.js (gen_records.py's format).
//
//   node bench/jobs/sort-rss.js [--runs 3] [--records 1000000]
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { generate } = require('../memory/genRecords');

const root = path.resolve(__dirname, '..', '..');
const a = process.argv.slice(2);
const opt = (name, d) => (a.includes(name) ? Number(a[a.indexOf(name) + 1]) : d);
const runs = opt('--runs', 3);
const n = opt('--records', 1000000);

const data = path.join(root, 'bench', 'data', `records-${n}.txt`);
if (!fs.existsSync(data) || fs.statSync(data).size !== n * 100) {
  fs.mkdirSync(path.dirname(data), { recursive: true });
  generate(`${data}.tmp`, n);
  fs.renameSync(`${data}.tmp`, data);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-sort-rss-'));
const expected = path.join(work, 'expected.txt');
const out = path.join(work, 'out');

/** wall s, CPU s (user + sys of the process and its children) and peak RSS MB under /usr/bin/time. */
function timed(argv, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ...argv], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  const [u, s, m] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: u + s, rss: m / 1024 };
}

const med = (xs) => [...xs].sort((x, y) => x - y)[(xs.length - 1) >> 1];
const res = { gleam: [], sort: [] };
try {
  for (let i = 0; i < runs; i++) {
    fs.rmSync(out, { recursive: true, force: true });
    res.gleam.push(timed([process.execPath, path.join(root, 'bench', 'distributed', 'gleam-sort.js'), data, out, 'local', '2', '2']));
    res.sort.push(timed(['sort', '-o', expected, data], { LC_ALL: 'C' }));
    const cmp = spawnSync('sh', ['-c', `cat ${out}/part-* | tr '\\t' ' ' | cmp - ${expected}`]);
    if (cmp.status !== 0) throw new Error(`run ${i + 1}: gleam's output differs from LC_ALL=C sort's`);
  }
  const row = (name, rs) => `| ${name} | ${med(rs.map((r) => r.wall)).toFixed(2)} | ${med(rs.map((r) => r.cpu)).toFixed(2)} | ${med(rs.map((r) => r.rss)).toFixed(0)} |`;
  const ratio = (k) => (med(res.gleam.map((r) => r[k])) / med(res.sort.map((r) => r[k]))).toFixed(2);
  process.stdout.write(
    [
      `${n} records (${((n * 100) / 1e6).toFixed(0)} MB), ${runs} alternating runs, medians; load before: ${os.loadavg()[0].toFixed(2)}; outputs byte-identical`,
      '',
      '| run | wall (s) | CPU (s) | peak RSS (MB) |',
      '|---|---:|---:|---:|',
      row('gleam (local, 2 executors)', res.gleam),
      row('LC_ALL=C sort', res.sort),
      `| gleam / sort | ${ratio('wall')}x | ${ratio('cpu')}x | ${ratio('rss')}x |`,
      '',
    ].join('\n'),
  );
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
