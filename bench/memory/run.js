#!/usr/bin/env node
// Bounded operator memory (issue 13 point 1): a master and agents at a small --memory run a job
// whose state is much larger than that budget, and each process's peak RSS (VmHWM) is reported
// against 2 × memory + 150 MB. Jobs (--job):
//   sort     the records sorted by key; output byte-identical to `LC_ALL=C sort`
//   groupBy  records grouped by their first 3 key characters (gleam-jobs.js); [key, count, least
//            id] per group, the same lines as an awk aggregation
//   join     the records joined with a tenth as many on those 3 characters (sort-merge); the row
//            count equals the sum over keys of left count × right count (awk)
//
//   node bench/memory/run.js [--job sort] [--records 20000000] [--memory 256] [--agents 2] [--executors 2] [--partitions 4]
//
// Records are made by gen_records.py (bench/benchData.js, as for every benchmark) and cached in bench/data.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, stopCluster, state, children, signal } = require('../benchCluster');
const { ensureRecords: records } = require('../benchData');

const root = path.resolve(__dirname, '..', '..');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function args() {
  const o = { job: 'sort', records: 20000000, memory: 256, agents: 2, executors: 2, partitions: 0 };
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i += 2) {
    const k = a[i].replace(/^--/, '');
    if (!(k in o) || a[i + 1] === undefined) throw new Error(`unknown or incomplete option ${a[i]}`);
    o[k] = k === 'job' ? a[i + 1] : Number(a[i + 1]);
  }
  if (!['sort', 'groupBy', 'join'].includes(o.job)) throw new Error(`--job must be sort, groupBy or join, not ${o.job}`);
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

// awk over the first 3 key characters: per key count and least 32-character id (groupBy), or the
// join's row count from both files' per-key counts.
const AWK_GROUP = `{k=substr($0,1,3); v=substr($0,12,32); c[k]++; if(!(k in m)||v<m[k])m[k]=v} END{for(k in c) print k "\\t" c[k] "\\t" m[k]}`;
const AWK_JOIN = `FNR==NR{r[substr($0,1,3)]++; next} {n+=r[substr($0,1,3)]} END{printf "%d\\n", n}`;

/** The job's gleam command, its baseline command and how to compare their results. */
function jobCommands(o, data, work, master) {
  const out = path.join(work, 'out');
  const expected = path.join(work, 'expected.txt');
  const sh = (c) => ['sh', ['-c', c]];
  if (o.job === 'sort') {
    return {
      gleam: [process.execPath, [path.join(root, 'bench', 'distributed', 'gleam-sort.js'), data, out, master, String(o.executors), String(o.partitions)]],
      baseline: ['LC_ALL=C sort', ...sh(`LC_ALL=C sort -T ${work} -o ${expected} ${data}`)],
      check: `cat ${out}/part-* | tr '\t' ' ' | cmp - ${expected}`,
    };
  }
  if (o.job === 'groupBy') {
    return {
      gleam: [process.execPath, [path.join(__dirname, 'gleam-jobs.js'), 'groupBy', data, out, master]],
      baseline: ['awk', ...sh(`LC_ALL=C awk '${AWK_GROUP}' ${data} | LC_ALL=C sort > ${expected}`)],
      check: `cat ${out}/part-* | LC_ALL=C sort | cmp - ${expected}`,
    };
  }
  const small = records(Math.max(1, Math.floor(o.records / 10)), 7);
  return {
    gleam: ['sh', ['-c', `${process.execPath} ${path.join(__dirname, 'gleam-jobs.js')} join ${data} ${small} ${master} > ${out}.count`]],
    baseline: ['awk', ...sh(`LC_ALL=C awk '${AWK_JOIN}' ${small} ${data} > ${expected}`)],
    check: `cmp ${out}.count ${expected}`,
  };
}

async function main() {
  const o = args();
  const data = records(o.records);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-memory-'));
  let cluster;
  const samples = new Map();
  let sampler;
  try {
    const cmds = jobCommands(o, data, work, '');
    log(`${cmds.baseline[0]} of ${path.relative(root, data)}`);
    const unix = await timedRun(cmds.baseline[0], cmds.baseline[1], cmds.baseline[2]);
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
    log(`gleam ${o.job} on the cluster`);
    const job = jobCommands(o, data, work, cluster.master);
    const gleam = await timedRun(`gleam ${o.job}`, job.gleam[0], job.gleam[1]);
    const peaks = procs.map(([n, pid]) => [n, rss(pid).peak, idle.get(n)]);
    clearInterval(sampler);
    const cmp = spawnSync('sh', ['-c', job.check], { stdio: ['ignore', 'pipe', 'pipe'] });
    const identical = cmp.status === 0;
    const limit = 2 * o.memory + 150;
    const lines = [
      `job: ${o.job}, records: ${o.records} (${((o.records * 100) / 1e9).toFixed(1)} GB), agents: ${o.agents} at --memory ${o.memory} with ${o.executors} executors, partitions: ${o.partitions}, load before: ${os.loadavg()[0].toFixed(2)}`,
      `output identical to ${job.baseline[0]}'s: ${identical ? 'yes' : `NO (${cmp.stdout}${cmp.stderr})`}`,
      '',
      '| process | peak RSS (MB) | idle RSS (MB) | limit 2 × memory + 150 (MB) | within |',
      '|---|---:|---:|---:|---|',
      ...peaks.map(([n, peak, idleMb]) => `| ${n} | ${peak.toFixed(0)} | ${idleMb.toFixed(0)} | ${n.startsWith('agent') ? limit : '-'} | ${n.startsWith('agent') ? (peak <= limit ? 'yes' : 'NO') : '-'} |`),
      `| driver | ${gleam.peakMB.toFixed(0)} | - | - | - |`,
      `| ${job.baseline[0]} | ${unix.peakMB.toFixed(0)} | - | - | - |`,
      '',
      '| run | wall (s) | CPU (s) |',
      '|---|---:|---:|',
      `| gleam ${o.job}, cluster | ${gleam.wall.toFixed(1)} | ${gleam.cpu.toFixed(1)} (driver only) |`,
      `| ${job.baseline[0]} | ${unix.wall.toFixed(1)} | ${unix.cpu.toFixed(1)} |`,
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
