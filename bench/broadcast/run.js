#!/usr/bin/env node
// Bytes sent for a 20 MB lookup table used by 100 tasks on 2 agents (2 executors each): the
// value in every task's params (before) against flow.broadcast (after). Bytes sent are each
// process's write/send syscall bytes (/proc/PID/io wchar: gRPC task requests, shard appends,
// shard reads served to peers, and its log lines), read before and after each job, for the
// driver (this process) and each agent. Usage: node bench/broadcast/run.js [MB] [tasks]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, stopCluster } = require('../benchCluster');

const MB = Number(process.argv[2] ?? 20);
const TASKS = Number(process.argv[3] ?? 100);

function wchar(pid) {
  const m = /wchar:\s*(\d+)/.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'));
  return Number(m[1]);
}

const fmt = (n) => `${(n / 1e6).toFixed(1)} MB`;

async function main() {
  const { Flow } = require('@gleam/flow-dsl');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-broadcast-'));
  const cluster = await startCluster({ agents: 2, executors: 2, memoryMb: 4096, workDir });
  const pids = [['driver', process.pid], ...cluster.agents.map((a, i) => [`agent ${i}`, a.proc.proc.pid])];
  // A lookup table of ~MB megabytes: 1000-character entries.
  const table = {};
  const entries = Math.round((MB * 1e6) / 1000);
  for (let i = 0; i < entries; i++) table[`k${i}`] = `${i}`.padEnd(1000, '.');
  const flow = new Flow('bench-broadcast');
  const results = [];
  try {
    // The broadcast first: a failed params job (a driver blocked encoding its task specs gets
    // cancelled by the master) then cannot disturb it. Then params at full scale, and at a tenth
    // of the tasks, whose bytes per task give the full-scale figure when that job fails.
    for (const [mode, tasks] of [['broadcast', TASKS], ['params', TASKS], ['params', Math.max(1, Math.round(TASKS / 10))]]) {
      const t = mode === 'params' ? table : flow.broadcast(table);
      const ds = flow.ints(Array.from({ length: tasks }, (_, i) => i), tasks).map((i) => [i, params.t[`k${i}`].length], { params: { t } });
      const before = pids.map(([, pid]) => wchar(pid));
      const t0 = Date.now();
      const label = `${mode} × ${tasks} tasks`.padEnd(22);
      try {
        const rows = await ds.collect({ master: cluster.master });
        if (rows.length !== tasks || rows.some((r) => r[1] !== 1000)) throw new Error(`${mode}: wrong result`);
      } catch (e) {
        process.stdout.write(`${label} FAILED after ${((Date.now() - t0) / 1000).toFixed(2)} s: ${String(e.message).split('\n')[0]}\n`);
        continue;
      }
      const ms = Date.now() - t0;
      const sent = pids.map(([, pid], k) => wchar(pid) - before[k]);
      results.push({ mode, tasks, ms, sent });
      process.stdout.write(`${label} job ${(ms / 1000).toFixed(2)} s; bytes sent: ${pids.map(([name], k) => `${name} ${fmt(sent[k])}`).join(', ')}; total ${fmt(sent.reduce((a, b) => a + b, 0))}\n`);
    }
  } finally {
    await flow.close();
    await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const total = (r) => r.sent.reduce((a, b) => a + b, 0);
  const bc = results.find((r) => r.mode === 'broadcast');
  const full = results.find((r) => r.mode === 'params' && r.tasks === TASKS);
  const tenth = results.find((r) => r.mode === 'params' && r.tasks !== TASKS);
  if (!bc) return;
  const paramsBytes = full ? total(full) : tenth ? (total(tenth) * TASKS) / tenth.tasks : undefined;
  if (paramsBytes === undefined) return;
  process.stdout.write(`${MB} MB value, ${TASKS} tasks, 2 agents × 2 executors: params ${full ? '' : '(extrapolated) '}${fmt(paramsBytes)} vs broadcast ${fmt(total(bc))}: ${(paramsBytes / total(bc)).toFixed(1)}× fewer bytes\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
