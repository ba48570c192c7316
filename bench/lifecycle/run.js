#!/usr/bin/env node
// Job lifecycle figures, locally (2 executor threads) and on a local cluster (a master and 2
// agents as processes on 127.0.0.1):
//   wide     parallelize(range(0, 11), 1000).partition(2001).collect()   (target < 2 s each way)
//   tiny     10,000 one-row tasks: parallelize(range(10000), 10000).map(x + 1).count(); the rate
//            is tasks / (last task finished - first task started)       (target >= 1,000 tasks/s)
//   cancel   a driver process running a 4-task `sleep` pipe job on the cluster is stopped by
//            SIGINT, by SIGKILL and by `gleam cancel`; the time from the signal (or the command)
//            until the cluster is free: no slot allocated, no shard on any agent, no pipe child
//            (targets: 5 s; 10 s for SIGKILL)
// Every answer is checked (11 rows 0..10; count 10000). Runs alternate local and cluster.
//
//   node bench/lifecycle/run.js [--runs N (3)] [--agent-executors N (2)] [--only wide,tiny,cancel]
// The table goes to stdout, progress to stderr, figures to bench/results/lifecycle-<ISO time>.json.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { GLEAM, children, state, clusterStatus, startCluster, stopCluster, stopChild, sleep } = require('../benchCluster');
const { writeResults } = require('../results');

const root = path.resolve(__dirname, '..', '..');
const { Flow } = require(path.join(root, 'packages', 'flow-dsl'));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const BENCHMARKS = ['wide', 'tiny', 'cancel'];

function parseArgs(argv) {
  const opts = { runs: 3, agentExecutors: 2, only: BENCHMARKS };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (name === '--runs') opts.runs = Number(value);
    else if (name === '--agent-executors') opts.agentExecutors = Number(value);
    else if (name === '--only') opts.only = value.split(',');
    else throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
  }
  if (!(opts.runs >= 1) || !(opts.agentExecutors >= 1) || opts.only.some((b) => !BENCHMARKS.includes(b))) throw new Error('bad arguments');
  return opts;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function wide(runOpts) {
  const t0 = process.hrtime.bigint();
  const rows = await new Flow('wide').parallelize(Array.from({ length: 11 }, (_, i) => i), 1000).partition(2001).collect(runOpts);
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const got = rows.map((r) => r[0]).sort((a, b) => a - b).join(',');
  if (got !== Array.from({ length: 11 }, (_, i) => i).join(',')) throw new Error(`wide: wrong rows ${got}`);
  return secs;
}

async function tiny(runOpts) {
  let first = 0;
  let last = 0;
  let tasks = 0;
  const n = await new Flow('tiny').parallelize(Array.from({ length: 10000 }, (_, i) => i), 10000).map((x) => x + 1).count({
    ...runOpts,
    onEvent: (e) => {
      if (e.type === 'taskStarted' && first === 0) first = Date.now();
      if (e.type === 'taskFinished') {
        last = Date.now();
        tasks++;
      }
    },
  });
  if (n !== 10000 || tasks !== 10000) throw new Error(`tiny: count ${n}, ${tasks} tasks`);
  return tasks / ((last - first) / 1000);
}

/** PIDs whose command line holds the marker. */
function processesWith(marker) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) out.push(Number(name));
    } catch {
      // gone
    }
  }
  return out;
}

async function until(check, timeoutMs, what) {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

async function clusterFree(master, marker) {
  const st = await clusterStatus(master);
  return st.agents.every((a) => a.allocated === 0 && a.shards === 0) && processesWith(marker).length === 0;
}

/** Starts a driver with a long pipe job, waits until its 4 commands run, stops it with `how`; seconds until the cluster is free. */
async function cancel(master, how) {
  const marker = `gleam-bench-cancel-${process.pid}-${Date.now().toString(36)}`;
  const name = `cancel by ${how}`;
  const script = `const { Flow } = require(${JSON.stringify(path.join(root, 'packages', 'flow-dsl'))});
    new Flow(${JSON.stringify(name)}).ints([1, 2, 3, 4], 4).pipe(${JSON.stringify(`sleep 60; : ${marker}`)}).collect({ master: ${JSON.stringify(master)} }).catch(() => { process.exitCode = 3; });`;
  const proc = spawn(process.execPath, ['-e', script], { cwd: root, stdio: 'ignore' });
  const c = { name: `driver (${how})`, proc, group: false };
  children.add(c);
  try {
    await until(() => processesWith(marker).length >= 4, 30000, 'the pipe commands to start');
    const t0 = process.hrtime.bigint();
    if (how === 'SIGINT' || how === 'SIGKILL') proc.kill(how);
    else {
      const st = await clusterStatus(master);
      const job = st.jobs.find((j) => j.report.name === name && j.report.state === 'running');
      if (!job) throw new Error('the job is not on the master');
      const r = spawn(process.execPath, [GLEAM, 'cancel', job.report.jobId, '--master', master], { stdio: 'ignore' });
      await new Promise((resolve) => r.on('exit', resolve));
    }
    await until(() => clusterFree(master, marker), 20000, `the cluster to be free after ${how}`);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await stopChild(c, 2000);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-lifecycle-'));
  const results = { startedAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadBefore: os.loadavg()[0], opts, figures: {} };
  let cluster;
  try {
    cluster = await startCluster({ agents: 2, executors: opts.agentExecutors, memoryMb: 512, workDir });
    const local = { executors: 2 };
    const remote = { master: cluster.master };
    for (const [key, fn, unit] of [['wide', wide, 's'], ['tiny', tiny, 'tasks/s']]) {
      if (!opts.only.includes(key)) continue;
      const figs = { local: [], cluster: [] };
      for (let r = 0; r < opts.runs; r++) {
        figs.local.push(await fn(local));
        figs.cluster.push(await fn(remote));
        log(`${key} run ${r + 1}: local ${figs.local[r].toFixed(key === 'wide' ? 2 : 0)} ${unit}, cluster ${figs.cluster[r].toFixed(key === 'wide' ? 2 : 0)} ${unit}`);
      }
      results.figures[key] = { unit, ...figs };
    }
    if (opts.only.includes('cancel')) {
      const figs = { SIGINT: [], SIGKILL: [], 'gleam cancel': [] };
      for (let r = 0; r < opts.runs; r++) {
        for (const how of Object.keys(figs)) {
          figs[how].push(await cancel(cluster.master, how));
          log(`cancel by ${how}, run ${r + 1}: cluster free after ${figs[how][r].toFixed(2)} s`);
        }
      }
      results.figures.cancel = figs;
    }
  } finally {
    state.stopping = true;
    await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const lines = [`job lifecycle, ${opts.runs} runs, node ${process.version}, ${os.cpus().length} cores, 1-min load ${results.loadBefore.toFixed(2)} before`, ''];
  const f = results.figures;
  if (f.wide) lines.push(`wide 1000 -> 2001, 11 rows: local best ${Math.min(...f.wide.local).toFixed(2)} s (median ${median(f.wide.local).toFixed(2)}), cluster best ${Math.min(...f.wide.cluster).toFixed(2)} s (median ${median(f.wide.cluster).toFixed(2)})`);
  if (f.tiny) lines.push(`10,000 tiny tasks: local best ${Math.max(...f.tiny.local).toFixed(0)} tasks/s (median ${median(f.tiny.local).toFixed(0)}), cluster best ${Math.max(...f.tiny.cluster).toFixed(0)} tasks/s (median ${median(f.tiny.cluster).toFixed(0)})`);
  if (f.cancel) for (const [how, xs] of Object.entries(f.cancel)) lines.push(`cancel by ${how}: cluster free after ${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)} s (median ${median(xs).toFixed(2)})`);
  process.stdout.write(`${lines.join('\n')}\n`);
  log(`figures written to ${writeResults('lifecycle', results, results.startedAt)}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`lifecycle: ${e.stack || e.message}\n`);
    process.exit(1);
  },
);
