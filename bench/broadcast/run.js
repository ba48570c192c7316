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
    for (const mode of ['params', 'broadcast']) {
      const t = mode === 'params' ? table : flow.broadcast(table);
      const ds = flow.ints(Array.from({ length: TASKS }, (_, i) => i), TASKS).map((i) => [i, params.t[`k${i}`].length], { params: { t } });
      const before = pids.map(([, pid]) => wchar(pid));
      const t0 = Date.now();
      const rows = await ds.collect({ master: cluster.master });
      const ms = Date.now() - t0;
      if (rows.length !== TASKS || rows.some((r) => r[1] !== 1000)) throw new Error(`${mode}: wrong result`);
      const sent = pids.map(([, pid], k) => wchar(pid) - before[k]);
      results.push({ mode, ms, sent });
      process.stdout.write(`${mode.padEnd(9)} job ${(ms / 1000).toFixed(2)} s; bytes sent: ${pids.map(([name], k) => `${name} ${fmt(sent[k])}`).join(', ')}; total ${fmt(sent.reduce((a, b) => a + b, 0))}\n`);
    }
  } finally {
    await flow.close();
    await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const total = (r) => r.sent.reduce((a, b) => a + b, 0);
  process.stdout.write(`${MB} MB value, ${TASKS} tasks, 2 agents × 2 executors: broadcast sends ${(total(results[0]) / total(results[1])).toFixed(1)}× fewer bytes, job ${(results[0].ms / results[1].ms).toFixed(1)}× faster\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
