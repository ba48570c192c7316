#!/usr/bin/env node
// The bounded-memory sort (issue 13 point 1): a master and agents at a small --memory sort a file
// of 100-byte records much larger than that budget; the output must be byte-identical to
// `LC_ALL=C sort`, and each process's peak RSS (VmHWM) is reported against 2 × memory + 150 MB.
//
//   node bench/memory/run.js [--records 20000000] [--memory 256] [--agents 2] [--executors 2] [--partitions 4]
//
// Records are made by genRecords.js (the format of gen_records.py) and cached in bench/data.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, stopCluster, state, children, signal } = require('../benchCluster');
const { generate } = require('./genRecords');

const root = path.resolve(__dirname, '..', '..');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function args() {
  const o = { records: 20000000, memory: 256, agents: 2, executors: 2, partitions: 0 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i].replace(/^--/, '');
    if (!(k in o) || a[i + 1] === undefined) throw new Error(`unknown or incomplete option ${a[i]}`);
    o[k] = Number(a[i + 1]);
  }
  if (!o.partitions) o.partitions = o.agents * o.executors;
  return o;
}

/** Peak and current RSS of a live process, in MB (VmHWM, VmRSS). */
function rss(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)[1]);
  return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
}

/** Runs a command under /usr/bin/time; resolves with wall, cpu seconds and peak RSS (MB). */
function timedRun(name, cmd, argv, env = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const p = spawn('/usr/bin/time', ['-f', '%U %S %M', cmd, ...argv], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe'] });
    const c = { name, proc: p, group: false };
    children.add(c);
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => {
      children.delete(c);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const last = err.trim().split('\n').pop().split(' ').map(Number);
      if (code !== 0) return reject(new Error(`${name} failed (exit ${code}): ${err.slice(-2000)}`));
      resolve({ wall, cpu: last[0] + last[1], peakMB: last[2] / 1024 });
    });
  });
}

async function main() {
  const o = args();
  fs.mkdirSync(path.join(root, 'bench', 'data'), { recursive: true });
  const data = path.join(root, 'bench', 'data', `records-${o.records}.txt`);
  if (!fs.existsSync(data) || fs.statSync(data).size !== o.records * 100) {
    log(`generating ${o.records} records (${(o.records / 1e7).toFixed(1)} GB) in ${path.relative(root, data)}`);
    generate(`${data}.tmp`, o.records);
    fs.renameSync(`${data}.tmp`, data);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-memory-'));
  const expected = path.join(work, 'expected.txt');
  const out = path.join(work, 'out');
  let cluster;
  const samples = new Map();
  let sampler;
  try {
    log(`LC_ALL=C sort of ${path.relative(root, data)}`);
    const unix = await timedRun('sort', 'sort', ['-T', work, '-o', expected, data], { LC_ALL: 'C' });
    log(`starting a master and ${o.agents} agents at --memory ${o.memory}, ${o.executors} executors each`);
    cluster = await startCluster({ agents: o.agents, executors: o.executors, memoryMb: o.memory, workDir: work });
    const procs = [['master', cluster.masterProc.proc.pid], ...cluster.agents.map((a, i) => [`agent ${i}`, a.proc.proc.pid])];
    const idle = new Map(procs.map(([n, pid]) => [n, rss(pid).now]));
    sampler = setInterval(() => {
      for (const [n, pid] of procs) {
        try {
          samples.set(n, Math.max(samples.get(n) ?? 0, rss(pid).now));
        } catch {
          // exited: its peak was read before
        }
      }
    }, 250);
    log(`gleam sort on the cluster, ${o.partitions} partitions`);
    const gleam = await timedRun('gleam sort', process.execPath, [path.join(root, 'bench', 'distributed', 'gleam-sort.js'), data, out, cluster.master, String(o.executors), String(o.partitions)]);
    const peaks = procs.map(([n, pid]) => [n, rss(pid).peak, idle.get(n)]);
    clearInterval(sampler);
    const cmp = spawnSync('sh', ['-c', `cat ${out}/part-* | tr '\\t' ' ' | cmp - ${expected}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    const identical = cmp.status === 0;
    const limit = 2 * o.memory + 150;
    const lines = [
      `records: ${o.records} (${((o.records * 100) / 1e9).toFixed(1)} GB), agents: ${o.agents} at --memory ${o.memory} with ${o.executors} executors, partitions: ${o.partitions}, load before: ${os.loadavg()[0].toFixed(2)}`,
      `output byte-identical to LC_ALL=C sort: ${identical ? 'yes' : `NO (${cmp.stdout}${cmp.stderr})`}`,
      '',
      '| process | peak RSS (MB) | idle RSS (MB) | limit 2 × memory + 150 (MB) | within |',
      '|---|---:|---:|---:|---|',
      ...peaks.map(([n, peak, idleMb]) => `| ${n} | ${peak.toFixed(0)} | ${idleMb.toFixed(0)} | ${n.startsWith('agent') ? limit : '-'} | ${n.startsWith('agent') ? (peak <= limit ? 'yes' : 'NO') : '-'} |`),
      `| driver (gleam-sort.js) | ${gleam.peakMB.toFixed(0)} | - | - | - |`,
      `| LC_ALL=C sort | ${unix.peakMB.toFixed(0)} | - | - | - |`,
      '',
      '| run | wall (s) | CPU (s) |',
      '|---|---:|---:|',
      `| gleam, cluster | ${gleam.wall.toFixed(1)} | ${gleam.cpu.toFixed(1)} (driver only) |`,
      `| LC_ALL=C sort | ${unix.wall.toFixed(1)} | ${unix.cpu.toFixed(1)} |`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
    if (!identical) process.exitCode = 1;
  } finally {
    if (sampler) clearInterval(sampler);
    state.stopping = true;
    await stopCluster(cluster);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench/memory: ${e.stack || e}\n`);
  for (const c of children) signal(c, 'SIGKILL');
  process.exit(1);
});
