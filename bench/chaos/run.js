#!/usr/bin/env node
// Chaos: 20 jobs (word count, sort, join, in turn) on a master + 3 agents while a random agent
// is SIGKILLed every few seconds and started again a moment later. Every answer is checked
// against one computed here. The same jobs first run without chaos, for their clean times; the
// goal for a job that lived through a loss is at most 2x its clean time plus the detection
// timeout (the master's --agent-timeout).
//
//   node bench/chaos/run.js [--jobs 20] [--every 3] [--down 1.5] [--agent-timeout 3000] [--scale 12] [--pause]
// --pause SIGSTOPs the agent instead, and SIGCONTs it --down seconds later (use --down above the
// agent timeout: the master must declare it dead, and it must drop the jobs' work when it wakes).
// --scale multiplies the data (1 = 160k lines, 30k records): at 12 a job takes a few seconds, so
// most kills land while a job runs.
// The table goes to stdout, progress to stderr, figures to bench/results/chaos-<ISO time>.json.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { clusterStatus, restartAgent, signal, startCluster, state, stopCluster, sleep } = require('../benchCluster');
const { writeResults } = require('../results');

const root = path.resolve(__dirname, '..', '..');
const { Flow } = require(path.join(root, 'packages', 'flow-dsl'));
const log = (msg) => process.stderr.write(`[chaos] ${msg}\n`);

function parseArgs(argv) {
  const opts = { jobs: 20, every: 3, down: 1.5, agentTimeout: 3000, scale: 12 };
  const names = { '--jobs': 'jobs', '--every': 'every', '--down': 'down', '--agent-timeout': 'agentTimeout', '--scale': 'scale' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pause') {
      opts.pause = true;
      continue;
    }
    const [name, inline] = argv[i].split('=', 2);
    if (!names[name]) throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
    const v = Number(inline ?? argv[++i]);
    if (!(v > 0)) throw new Error(`${name} needs a positive number`);
    opts[names[name]] = v;
  }
  return opts;
}

// ---------------------------------------------------------------- the jobs and their answers

/** Deterministic data: text lines, keyed records and a small table to join with. */
function makeData(dir, scale) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const words = Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}`);
  const lines = Array.from({ length: Math.round(160000 * scale) }, () => Array.from({ length: 8 }, () => words[Math.floor(rand() * rand() * words.length)]).join(' '));
  const text = path.join(dir, 'text.txt');
  fs.writeFileSync(text, `${lines.join('\n')}\n`);
  const records = Array.from({ length: Math.round(30000 * scale) }, (_, i) => [`k${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`, i]);
  const facts = words.map((w, i) => [w, i % 7]);
  return { text, lines, records, facts };
}

function expected(data) {
  const counts = new Map();
  for (const l of data.lines) for (const w of l.split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
  const wordcount = [...counts].map(([w, n]) => `${w}\t${n}`).sort().join('\n');
  const sorted = data.records.map((r) => r[0]).sort().join('\n');
  const byFact = new Map();
  const fact = new Map(data.facts);
  for (const [w, n] of counts) byFact.set(fact.get(w), (byFact.get(fact.get(w)) ?? 0) + n);
  const join = [...byFact].sort((a, b) => a[0] - b[0]).map(([f, n]) => `${f}\t${n}`).join('\n');
  return { wordcount, sort: sorted, join };
}

const JOBS = {
  async wordcount(flow, data, opts) {
    const rows = await flow.textFile(data.text, { partitions: 6 }).flatMap((l) => l.split(' ')).map((w) => [w, 1]).reduceBy((a, b) => a + b).collect(opts);
    return rows.map((r) => `${r[0]}\t${r[1]}`).sort().join('\n');
  },
  async sort(flow, data, opts) {
    const rows = await flow.parallelize(data.records, 6).sort({ by: [1] }).collect(opts);
    return rows.map((r) => r[0]).join('\n');
  },
  async join(flow, data, opts) {
    const counts = flow.textFile(data.text, { partitions: 6 }).flatMap((l) => l.split(' ')).map((w) => [w, 1]).reduceBy((a, b) => a + b);
    const rows = await counts.join(flow.slices(data.facts, 2)).map((w, n, f) => [f, n]).reduceBy((a, b) => a + b).collect(opts);
    return rows.sort((a, b) => a[0] - b[0]).map((r) => `${r[0]}\t${r[1]}`).join('\n');
  },
};

/** Runs one job; returns its time, whether it was right, and how many task attempts were repeated. */
async function runJob(kind, data, want, master) {
  let reruns = 0;
  const t0 = Date.now();
  const startedAtMs = t0;
  // The job's timeline (ms since its start), kept in the figures of a job that lost work.
  const timeline = [];
  const onEvent = (e) => {
    if (e.type === 'taskStarted' && e.attempt > 1) reruns++;
    if (e.type === 'taskStarted' || e.type === 'taskFinished' || e.type === 'taskFailed') timeline.push([Date.now() - t0, e.type, e.task, e.location, e.attempt]);
  };
  try {
    const got = await JOBS[kind](new Flow(`chaos ${kind}`), data, { master, onEvent });
    return { kind, startedAtMs, secs: (Date.now() - t0) / 1000, ok: got === want[kind], reruns, ...(reruns > 0 ? { timeline } : {}) };
  } catch (e) {
    return { kind, startedAtMs, secs: (Date.now() - t0) / 1000, ok: false, reruns, error: e.message, timeline };
  }
}

// ---------------------------------------------------------------- chaos

function chaosMonkey(cluster, opts, events) {
  let stopped = false;
  const loop = (async () => {
    for (let k = 0; !stopped; k++) {
      await sleep(opts.every * 1000);
      if (stopped) break;
      const i = Math.floor(Math.random() * cluster.agents.length);
      const a = cluster.agents[i];
      if (opts.pause) {
        signal(a.proc, 'SIGSTOP');
        events.push({ atMs: Date.now(), agent: a.address, what: 'killed' });
        log(`stopped agent ${i} (${a.address})`);
        await sleep(opts.down * 1000);
        signal(a.proc, 'SIGCONT');
        events.push({ atMs: Date.now(), agent: a.address, what: 'continued' });
        continue;
      }
      a.proc.stopping = true; // expected to exit: no warning
      signal(a.proc, 'SIGKILL');
      events.push({ atMs: Date.now(), agent: a.address, what: 'killed' });
      log(`killed agent ${i} (${a.address})`);
      await sleep(opts.down * 1000);
      restartAgent(cluster, i);
      events.push({ atMs: Date.now(), agent: a.address, what: 'restarted' });
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-chaos-'));
  const data = makeData(workDir, opts.scale);
  const want = expected(data);
  const kinds = Object.keys(JOBS);
  const results = { startedAt: new Date().toISOString(), node: process.version, cpus: os.cpus().length, opts, clean: {}, jobs: [], kills: [] };
  let cluster;
  try {
    cluster = await startCluster({ agents: 3, executors: 2, memoryMb: 512, workDir, masterArgs: ['--agent-timeout', String(opts.agentTimeout)], agentArgs: ['--heartbeat', '500'] });
    for (const kind of kinds) {
      const runs = [];
      for (let r = 0; r < 2; r++) runs.push(await runJob(kind, data, want, cluster.master));
      if (runs.some((r) => !r.ok)) throw new Error(`${kind}: a clean run gave a wrong answer`);
      results.clean[kind] = Math.min(...runs.map((r) => r.secs));
      log(`clean ${kind}: ${results.clean[kind].toFixed(2)} s`);
    }
    const stopChaos = chaosMonkey(cluster, opts, results.kills);
    for (let j = 0; j < opts.jobs; j++) {
      const kind = kinds[j % kinds.length];
      const started = Date.now();
      let r;
      try {
        r = await runJob(kind, data, want, cluster.master);
      } catch (e) {
        r = { kind, secs: (Date.now() - started) / 1000, ok: false, reruns: 0, error: e.message };
      }
      r.kills = results.kills.filter((k) => k.what === 'killed' && k.atMs >= started && k.atMs <= Date.now()).length;
      results.jobs.push(r);
      log(`job ${j + 1}/${opts.jobs} ${kind}: ${r.ok ? 'right' : 'WRONG'} in ${r.secs.toFixed(2)} s, ${r.kills} kill(s) during it, ${r.reruns} task attempt(s) repeated${r.error ? ` — ${r.error}` : ''}`);
    }
    await stopChaos();
  } finally {
    state.stopping = true;
    await stopCluster(cluster);
    // A wrong answer keeps the servers' logs next to the figures, for the post-mortem.
    if (results.jobs.some((j) => !j.ok)) {
      const keep = path.join(root, 'bench', 'results', `chaos-logs-${results.startedAt.replace(/[:.]/g, '-')}`);
      fs.mkdirSync(keep, { recursive: true });
      for (const f of fs.readdirSync(workDir)) if (f.endsWith('.log')) fs.copyFileSync(path.join(workDir, f), path.join(keep, f));
      log(`server logs kept in ${path.relative(root, keep)}`);
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const right = results.jobs.filter((j) => j.ok).length;
  const hit = results.jobs.filter((j) => j.kills > 0 || j.reruns > 0);
  const bound = (kind) => 2 * results.clean[kind] + opts.agentTimeout / 1000;
  const within = hit.filter((j) => j.secs <= bound(j.kind)).length;
  const lines = [
    `chaos: ${opts.jobs} jobs on a master + 3 agents, an agent ${opts.pause ? `SIGSTOPped every ${opts.every} s and continued` : `SIGKILLed every ${opts.every} s and restarted`} ${opts.down} s later; --agent-timeout ${opts.agentTimeout} ms; node ${process.version}, ${os.cpus().length} cores`,
    '',
    `answers right: ${right}/${opts.jobs}`,
    `${opts.pause ? "agents stopped" : "agents killed"}: ${results.kills.filter((k) => k.what === 'killed').length}`,
    `jobs that lost work: ${hit.length} (task attempts repeated: ${hit.reduce((n, j) => n + j.reruns, 0)})`,
    '',
    'job        clean s   under chaos: median s   max s   bound (2 x clean + detection) s',
    ...kinds.map((k) => {
      const xs = results.jobs.filter((j) => j.kind === k).map((j) => j.secs).sort((a, b) => a - b);
      return `${k.padEnd(10)} ${results.clean[k].toFixed(2).padStart(7)}   ${xs[Math.floor(xs.length / 2)].toFixed(2).padStart(21)}   ${xs[xs.length - 1].toFixed(2).padStart(5)}   ${bound(k).toFixed(2).padStart(5)}`;
    }),
    '',
    `jobs that lost work and finished within the bound: ${within}/${hit.length}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  log(`figures written to ${writeResults('chaos', results, results.startedAt)}`);
  process.exitCode = right === opts.jobs ? 0 : 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    process.stderr.write(`chaos: ${e.stack || e.message}\n`);
    process.exit(1);
  },
);
