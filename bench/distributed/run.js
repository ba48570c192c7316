#!/usr/bin/env node
// Distributed benchmark: the same flows in local mode (2 executor threads) and on a local
// cluster (a master and 2 agents as separate OS processes on 127.0.0.1), plus raw agent-to-agent
// shard throughput and the idle footprint of a master and an agent.
//
//   node bench/distributed/run.js [--size MB] [--runs N] [--agent-executors N] [--executors N]
//                                 [--records N] [--agent-memory MB] [--only LIST] [--retry-busy N]
//   node bench/distributed/run.js --footprint
//
// Benchmarks (--only takes a comma-separated subset of their keys):
//   wordcount  word count over bench/data/words-<MB>mb.txt (scan tokenizer, saveAsTextFile)
//   sort       sort of bench/data/records-1m.txt (1,000,000 100-byte records) by key
//   shuffle    hash shuffle of the records file by whole line, then count()
//   raw        a 200 MiB shard written to agent A, read by a one-task ExecuteTask on agent B
//              (ReadShard across agents) and, as the baseline, by the same task on agent A
// Every flow runs as a separate driver process, timed from spawn to exit, alternating local and
// cluster, N times each. Outputs of every run are verified (see README.md). The table goes to
// stdout, progress to stderr, the figures to bench/results/distributed-<ISO time>.json.
// Every process this script starts (master, agents, drivers) is stopped by PID at the end, on
// errors and on SIGINT/SIGTERM.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const here = __dirname;
const root = path.resolve(here, '..', '..');
const dataDir = path.join(root, 'bench', 'data');
const resultsDir = path.join(root, 'bench', 'results');
const BENCHMARKS = ['wordcount', 'sort', 'shuffle', 'raw'];
/** A timed run during which other processes used more than this share of all cores is "busy". */
const BUSY_SHARE = 0.1;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`run.js: ${msg}\n`);
  process.stderr.write(
    'usage: node bench/distributed/run.js [--size MB (200)] [--runs N (3)] [--agent-executors N (1)] [--executors N (2, local mode)]\n' +
    '         [--records N (1000000)] [--agent-memory MB (1024)] [--only wordcount,sort,shuffle,raw] [--retry-busy N (2)]\n' +
    '       node bench/distributed/run.js --footprint [--footprint-executors N (2)] [--footprint-wait S (5)]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { size: 200, runs: 3, agentExecutors: 1, executors: 2, records: 1000000, agentMemory: 1024, only: BENCHMARKS, footprint: false, footprintExecutors: 2, footprintWait: 5, retryBusy: 2 };
  const numeric = { '--size': 'size', '--runs': 'runs', '--agent-executors': 'agentExecutors', '--executors': 'executors', '--records': 'records', '--agent-memory': 'agentMemory', '--footprint-executors': 'footprintExecutors', '--footprint-wait': 'footprintWait', '--retry-busy': 'retryBusy' };
  for (let i = 0; i < argv.length; i++) {
    let [name, value] = argv[i].split('=', 2);
    if (name === '-h' || name === '--help') usage();
    if (name === '--footprint') {
      opts.footprint = true;
      continue;
    }
    if (name !== '--only' && !numeric[name]) usage(`unknown argument ${argv[i]}`);
    if (value === undefined) value = argv[++i];
    if (value === undefined) usage(`${name} needs a value`);
    if (name === '--only') {
      opts.only = value.split(',').map((s) => s.trim()).filter(Boolean);
      for (const b of opts.only) if (!BENCHMARKS.includes(b)) usage(`--only: unknown benchmark ${b} (known: ${BENCHMARKS.join(', ')})`);
      continue;
    }
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0 || (n === 0 && name !== '--retry-busy')) usage(`${name} needs a positive number`);
    if (!['--size', '--footprint-wait'].includes(name) && !Number.isInteger(n)) usage(`${name} needs a whole number`);
    opts[numeric[name]] = n;
  }
  return opts;
}

// ---------------------------------------------------------------- input data

const { ensureCorpus, ensureRecords } = require('../benchData');

// ---------------------------------------------------------------- processes

/** Every process started by this script that may still run: { name, proc, group }. */
const { children, state, signal, stopChild, protoApi, agentStatus, startCluster, stopCluster, sleep } = require('../benchCluster');

// ---------------------------------------------------------------- /proc readings

/** User+system CPU seconds of a live process (all its threads). */
function procCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK; // utime, stime (fields 14, 15)
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores; /proc/stat minus idle and iowait). */
function machineBusy() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user nice system idle iowait irq softirq steal
    return (total - f[3] - f[4]) / CLK_TCK;
  } catch {
    return null;
  }
}

/** VmRSS and VmHWM (peak) of a live process, in MB (10^6 bytes) and MiB. */
function procMem(pid) {
  try {
    const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st);
      return m ? +(Number(m[1]) * 1024 / 1e6).toFixed(1) : null;
    };
    const threads = /^Threads:\s+(\d+)/m.exec(st);
    const mib = (k) => {
      const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st);
      return m ? +(Number(m[1]) / 1024).toFixed(1) : null;
    };
    return { rssMB: kb('VmRSS'), rssMiB: mib('VmRSS'), peakMB: kb('VmHWM'), peakMiB: mib('VmHWM'), threads: threads ? Number(threads[1]) : null };
  } catch {
    return null;
  }
}

/** "task done" lines of an agent's log for one job: [{ task, millis, rowsIn, rowsOut }]. */
function agentTasks(logFile, jobId) {
  const out = [];
  let text = '';
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return out;
  }
  for (const line of text.split('\n')) {
    if (!line.includes('"task done"')) continue;
    try {
      const j = JSON.parse(line);
      if (jobId === undefined || j.jobId === jobId) out.push({ task: j.task, millis: j.millis, rowsIn: j.rowsIn, rowsOut: j.rowsOut, time: j.time, jobId: j.jobId });
    } catch {
      // not a JSON line
    }
  }
  return out;
}

/** Job ids seen in the master log, in order. */
function masterJobs(logFile) {
  const ids = [];
  try {
    for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
      if (!line.includes('"slots allocated"')) continue;
      try {
        ids.push(JSON.parse(line).job);
      } catch {
        // ignore
      }
    }
  } catch {
    // no log
  }
  return ids;
}

// ---------------------------------------------------------------- timed driver runs

const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
let currentDriver = null;

/**
 * Runs `sh -c CMD` (its own process group, so it can be stopped as a whole), resolves with wall
 * seconds, the CPU seconds (user + sys) of the driver process tree (the shell's `times` on fd 3),
 * stdout and stderr.
 */
function timed(name, cmd, env) {
  const script = `${cmd}\ns=$?; times >&3; exit $s`;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const proc = spawn('sh', ['-c', script], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], detached: true });
    const c = { name, proc, group: true };
    children.add(c);
    currentDriver = c;
    const bufs = { 1: [], 2: [], 3: [] };
    proc.stdio[1].on('data', (d) => bufs[1].push(d));
    proc.stdio[2].on('data', (d) => bufs[2].push(d));
    proc.stdio[3].on('data', (d) => bufs[3].push(d));
    proc.on('error', (e) => {
      children.delete(c);
      reject(e);
    });
    proc.on('close', (code, sig) => {
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      children.delete(c);
      currentDriver = null;
      const stdout = Buffer.concat(bufs[1]).toString();
      const stderr = Buffer.concat(bufs[2]).toString();
      if (code !== 0) {
        reject(new Error(`${name} failed (${sig || `exit ${code}`}): ${cmd}\n${stderr.slice(-4000)}${stdout.slice(-1000)}`));
        return;
      }
      const lines = Buffer.concat(bufs[3]).toString().trim().split('\n');
      const secs = (lines[1] || '').split(/\s+/).map((t) => {
        const m = /^(\d+)m([\d.]+)s$/.exec(t);
        return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      });
      const cpu = secs.length === 2 && secs.every(Number.isFinite) ? secs[0] + secs[1] : null;
      resolve({ wall, cpu, stdout, stderr });
    });
  });
}

/** Per-task lines the driver prints with GLEAM_PROGRESS=1: [{ task, rowsIn, rowsOut, millis }]. */
function progressTasks(stderr) {
  const out = [];
  for (const line of stderr.split('\n')) {
    const m = /^\[gleam\] \d+\/\d+ (\S+) rows (\d+)->(\d+) (\d+) ms(?:, done at [\d.]+ s)?$/.exec(line);
    if (m) out.push({ task: m[1], rowsIn: Number(m[2]), rowsOut: Number(m[3]), millis: Number(m[4]) });
  }
  return out;
}

/** Other stderr of a driver (not progress lines), for the log. */
function otherStderr(stderr) {
  return stderr.split('\n').filter((l) => l.trim() && !l.startsWith('[gleam] ')).join('\n');
}

// ---------------------------------------------------------------- verification helpers

function partFiles(dir) {
  if (!fs.existsSync(path.join(dir, '_SUCCESS'))) throw new Error(`no _SUCCESS marker in ${dir}`);
  return fs.readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('_')).sort().map((f) => path.join(dir, f));
}

/** word -> count of a word-count output directory. */
function readWordCounts(dir) {
  const counts = new Map();
  for (const f of partFiles(dir)) {
    for (const line of fs.readFileSync(f, 'latin1').split('\n')) {
      if (line === '') continue;
      const tab = line.lastIndexOf('\t');
      if (tab < 0) throw new Error(`line without a tab in ${f}: ${JSON.stringify(line)}`);
      const w = line.slice(0, tab);
      const n = Number(line.slice(tab + 1));
      if (!Number.isInteger(n) || n <= 0) throw new Error(`bad count in ${f}: ${JSON.stringify(line)}`);
      if (counts.has(w)) throw new Error(`word ${JSON.stringify(w)} appears twice in ${dir}`);
      counts.set(w, n);
    }
  }
  return counts;
}

function diffCounts(a, b) {
  const out = [];
  for (const [w, n] of a) {
    if (!b.has(w)) out.push(`${JSON.stringify(w)}: ${n} vs missing`);
    else if (b.get(w) !== n) out.push(`${JSON.stringify(w)}: ${n} vs ${b.get(w)}`);
  }
  for (const [w, n] of b) if (!a.has(w)) out.push(`${JSON.stringify(w)}: missing vs ${n}`);
  return out;
}

/**
 * Reads a sort output (part files in name order) as one stream: counts the lines, checks every
 * line is "KEY\tPAYLOAD" with a 10-byte key, that keys never decrease (byte order = the order of
 * ASCII keys in JS and in LC_ALL=C sort), and hashes the bytes (SHA-256).
 */
function checkSortOutput(dir) {
  const hash = crypto.createHash('sha256');
  let lines = 0;
  let bytes = 0;
  let prevKey = null;
  let rest = Buffer.alloc(0);
  const problems = [];
  const checkLine = (buf, start, end) => {
    lines++;
    if (end - start < 11 || buf[start + 10] !== 0x09) {
      if (problems.length < 5) problems.push(`line ${lines} is not KEY<TAB>PAYLOAD: ${JSON.stringify(buf.toString('latin1', start, Math.min(end, start + 120)))}`);
      return;
    }
    const key = buf.subarray(start, start + 10);
    if (prevKey && Buffer.compare(prevKey, key) > 0 && problems.length < 5) problems.push(`line ${lines}: key ${JSON.stringify(key.toString('latin1'))} after ${JSON.stringify(prevKey.toString('latin1'))}`);
    prevKey = Buffer.from(key);
  };
  for (const f of partFiles(dir)) {
    const fd = fs.openSync(f, 'r');
    const chunk = Buffer.allocUnsafe(8 << 20);
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      const data = chunk.subarray(0, n);
      hash.update(data);
      bytes += n;
      const buf = rest.length ? Buffer.concat([rest, data]) : data;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        checkLine(buf, start, nl);
        start = nl + 1;
      }
      rest = Buffer.from(buf.subarray(start));
    }
    fs.closeSync(fd);
  }
  if (rest.length) problems.push('the output does not end with a newline');
  return { lines, bytes, sha256: hash.digest('hex'), sorted: problems.length === 0, problems };
}

/**
 * Reference for the sort: `LC_ALL=C sort` of the input (= order by key, see gen_records.py),
 * each line's first space turned into a tab (the "KEY\tPAYLOAD" form saveAsTextFile writes),
 * hashed with SHA-256.
 */
function referenceSortHash(file) {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    const p = spawn('sort', ['-S', '30%', file], { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const c = { name: 'reference sort', proc: p, group: true };
    children.add(c);
    let seenSpace = false; // in the current line
    let lines = 0;
    let bytes = 0;
    let err = '';
    p.stdout.on('data', (d) => {
      for (let i = 0; i < d.length; i++) {
        const b = d[i];
        if (b === 10) {
          lines++;
          seenSpace = false;
        } else if (b === 0x20 && !seenSpace) {
          d[i] = 0x09;
          seenSpace = true;
        }
      }
      bytes += d.length;
      hash.update(d);
    });
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      children.delete(c);
      if (code !== 0) reject(new Error(`LC_ALL=C sort failed (exit ${code}): ${err}`));
      else resolve({ lines, bytes, sha256: hash.digest('hex') });
    });
  });
}

/** Bytes the shuffle moves: the records file's rows ([line]) msgpack-encoded in ~100 KB frames. */
function shuffledBytes(file) {
  const { encodeRows } = require('@gleam/executor');
  const text = fs.readFileSync(file, 'latin1');
  let bytes = 0;
  let rows = [];
  let n = 0;
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    rows.push([text.slice(start, nl)]);
    start = nl + 1;
    n++;
    if (rows.length === 1000) {
      bytes += encodeRows(rows).length;
      rows = [];
    }
  }
  if (start < text.length) {
    rows.push([text.slice(start)]);
    n++;
  }
  if (rows.length) bytes += encodeRows(rows).length;
  return { rows: n, bytes };
}

// ---------------------------------------------------------------- statistics and formatting

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const r3 = (x) => (x == null ? null : +x.toFixed(3));
const pad = (s, n, right) => (right ? String(s).padStart(n) : String(s).padEnd(n));
const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '?' : x.toFixed(d));

function summarize(runs, mb) {
  const walls = runs.map((r) => r.wall);
  const best = Math.min(...walls);
  const bestRun = runs[walls.indexOf(best)];
  return { best, median: median(walls), mbps: mb / best, cpuBest: bestRun.cpu };
}

// ---------------------------------------------------------------- benchmarks

/** Runs the flow locally and on the cluster, alternating, opts.runs times each. */
async function localVsCluster(ctx, spec) {
  const { opts, cluster } = ctx;
  const modes = [
    { key: 'local', where: 'local', name: `local (${opts.executors} executors)` },
    { key: 'cluster', where: cluster.master, name: `cluster (${cluster.agents.length} agents x ${opts.agentExecutors} ex.)` },
  ];
  const result = { name: spec.name, inputMB: spec.mb, modes: {} };
  for (const m of modes) result.modes[m.key] = { name: m.name, command: spec.cmd(m.where, '<out>'), runs: [], discarded: [] };
  const serverProcs = [cluster.masterProc, ...cluster.agents.map((a) => a.proc)];
  for (let run = 1; run <= opts.runs; run++) {
    for (let mi = 0, attempt = 0; mi < modes.length; ) {
      const m = modes[mi];
      const out = spec.outDir ? path.join(ctx.outRoot, `${spec.key}-${m.key}-${run}`) : null;
      if (out) fs.rmSync(out, { recursive: true, force: true });
      const jobsBefore = m.key === 'cluster' ? masterJobs(cluster.masterProc.logFile).length : 0;
      const cpu0 = serverProcs.map((c) => procCpu(c.proc.pid));
      const busy0 = machineBusy();
      const self0 = process.cpuUsage();
      const t = await timed(`${spec.key} ${m.key}`, spec.cmd(m.where, out), { GLEAM_PROGRESS: '1' });
      const cpu1 = serverProcs.map((c) => procCpu(c.proc.pid));
      const busy1 = machineBusy();
      const self1 = process.cpuUsage(self0);
      // CPU of the master and agents during the run (they are idle during local runs).
      const serverCpu = sum(cpu1.map((c, i) => (c == null || cpu0[i] == null ? 0 : c - cpu0[i])));
      const rec = { wall: t.wall, driverCpu: t.cpu, serverCpu, cpu: t.cpu == null ? null : t.cpu + (m.key === 'cluster' ? serverCpu : 0), tasks: progressTasks(t.stderr) };
      // The task figures below come from these lines: a changed progress format must fail here,
      // not print zeros.
      if (rec.tasks.length === 0) throw new Error(`${spec.key} ${m.key}: no GLEAM_PROGRESS task lines in the driver's stderr:\n${t.stderr.slice(0, 1000)}`);
      // CPU the rest of the machine used meanwhile (another workload would skew the figures).
      if (busy0 != null && busy1 != null && t.cpu != null) rec.otherCpu = Math.max(0, busy1 - busy0 - t.cpu - serverCpu - (self1.user + self1.system) / 1e6);
      const busyRun = rec.otherCpu > BUSY_SHARE * t.wall * os.availableParallelism();
      const other = otherStderr(t.stderr);
      if (other) log(`${spec.key} ${m.key} stderr: ${other.slice(0, 2000)}`);
      if (m.key === 'cluster') {
        await sleep(50); // the agents' "task done" lines are written before the driver hears of them; be safe
        const jobs = masterJobs(cluster.masterProc.logFile);
        rec.jobId = jobs.length > jobsBefore ? jobs[jobs.length - 1] : undefined;
        rec.agentTasks = cluster.agents.map((a) => ({ agent: a.address, tasks: agentTasks(a.logFile, rec.jobId).map(({ task, millis, rowsIn, rowsOut }) => ({ task, millis, rowsIn, rowsOut })) }));
      }
      rec.check = spec.verify(m.key, run, out, t.stdout, rec);
      if (out) fs.rmSync(out, { recursive: true, force: true });
      const placement = rec.agentTasks ? `; tasks per agent ${rec.agentTasks.map((a) => a.tasks.length).join('/')}` : '';
      log(`run ${run}/${opts.runs} ${pad(spec.key, 9)} ${pad(m.key, 7)} ${t.wall.toFixed(2)} s wall, ${fmt(rec.cpu)} s cpu, ${fmt(rec.otherCpu)} s cpu of other processes${placement}`);
      if (busyRun && attempt < opts.retryBusy) {
        // Another workload took more than BUSY_SHARE of the machine: the run is kept in the JSON
        // as discarded and repeated after a pause.
        attempt++;
        log(`warning: other processes used ${rec.otherCpu.toFixed(2)} CPU s during this run: discarded, repeating it (attempt ${attempt + 1}/${opts.retryBusy + 1}) in 5 s`);
        result.modes[m.key].discarded.push({ run, ...rec });
        await sleep(5000);
        continue;
      }
      if (busyRun) log(`warning: other processes used ${rec.otherCpu.toFixed(2)} CPU s during this run; its figures are skewed (kept: no retries left)`);
      result.modes[m.key].runs.push(rec);
      mi++;
      attempt = 0;
    }
  }
  for (const m of modes) Object.assign(result.modes[m.key], summarize(result.modes[m.key].runs, spec.mb));
  const l = result.modes.local;
  const c = result.modes.cluster;
  result.ratio = { best: c.best / l.best, median: c.median / l.median };
  return result;
}

async function benchWordcount(ctx) {
  const { opts } = ctx;
  const file = ctx.corpus;
  const mb = fs.statSync(file).size / 1e6;
  const node = sq(process.execPath);
  const script = sq(path.join(here, 'gleam-wordcount.js'));
  let reference = null;
  const verification = { ok: true, runsChecked: 0, distinctWords: null, totalWords: null, differences: [] };
  const result = await localVsCluster(ctx, {
    key: 'wordcount',
    name: `word count ${mb.toFixed(0)} MB`,
    mb,
    outDir: true,
    cmd: (where, out) => `${node} ${script} ${sq(path.relative(root, file))} ${sq(out)} ${sq(where)} ${opts.executors}`,
    verify: (mode, run, out) => {
      const counts = readWordCounts(out);
      if (!reference) {
        reference = { counts, from: `${mode} run ${run}` };
        verification.distinctWords = counts.size;
        verification.totalWords = sum([...counts.values()]);
      } else {
        const d = diffCounts(counts, reference.counts);
        if (d.length) {
          verification.ok = false;
          verification.differences.push(`${mode} run ${run} vs ${reference.from}: ${d.length} differences, e.g. ${d.slice(0, 5).join('; ')}`);
        }
      }
      verification.runsChecked++;
      return { distinctWords: counts.size };
    },
  });
  result.verification = verification;
  result.verification.text = verification.ok
    ? `identical (word, count) multisets in all ${verification.runsChecked} outputs (${verification.distinctWords} distinct words, ${verification.totalWords} words)`
    : `DIFFERENT: ${verification.differences.join('; ')}`;
  result.target = { maxRatio: 1.5, met: result.ratio.best <= 1.5 };
  return result;
}

async function benchSort(ctx) {
  const { opts } = ctx;
  const file = ctx.records;
  const mb = fs.statSync(file).size / 1e6;
  const node = sq(process.execPath);
  const script = sq(path.join(here, 'gleam-sort.js'));
  log('sort: computing the reference (LC_ALL=C sort of the input, first space -> tab, SHA-256)');
  const t0 = Date.now();
  const ref = await referenceSortHash(file);
  log(`sort: reference ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${ref.lines} lines, sha256 ${ref.sha256.slice(0, 16)}...`);
  const verification = { ok: true, runsChecked: 0, reference: ref, problems: [] };
  const result = await localVsCluster(ctx, {
    key: 'sort',
    name: `sort ${opts.records} records (${mb.toFixed(0)} MB)`,
    mb,
    outDir: true,
    cmd: (where, out) => `${node} ${script} ${sq(path.relative(root, file))} ${sq(out)} ${sq(where)} ${opts.executors} 2`,
    verify: (mode, run, out) => {
      const parts = partFiles(out).map((f) => ({ file: path.basename(f), bytes: fs.statSync(f).size }));
      const c = checkSortOutput(out);
      const bad = [];
      if (!c.sorted) bad.push(...c.problems);
      if (c.lines !== opts.records) bad.push(`${c.lines} lines, expected ${opts.records}`);
      if (c.sha256 !== ref.sha256) bad.push(`SHA-256 ${c.sha256.slice(0, 16)}... differs from LC_ALL=C sort's ${ref.sha256.slice(0, 16)}...`);
      if (bad.length) {
        verification.ok = false;
        verification.problems.push(`${mode} run ${run}: ${bad.join('; ')}`);
      }
      verification.runsChecked++;
      return { lines: c.lines, bytes: c.bytes, sha256: c.sha256, sorted: c.sorted, parts };
    },
  });
  result.verification = verification;
  result.verification.text = verification.ok
    ? `all ${verification.runsChecked} outputs globally sorted, ${opts.records} lines, byte-identical to LC_ALL=C sort of the input (SHA-256 ${ref.sha256.slice(0, 12)}...)`
    : `FAILED: ${verification.problems.join('; ')}`;
  return result;
}

async function benchShuffle(ctx) {
  const { opts } = ctx;
  const file = ctx.records;
  const node = sq(process.execPath);
  const script = sq(path.join(here, 'gleam-shuffle.js'));
  const sh = shuffledBytes(file);
  const shuffleMB = sh.bytes / 1e6;
  log(`shuffle: ${sh.rows} rows, ${shuffleMB.toFixed(1)} MB msgpack-encoded through the shuffle`);
  const verification = { ok: true, runsChecked: 0, expectedCount: sh.rows, problems: [] };
  const result = await localVsCluster(ctx, {
    key: 'shuffle',
    name: `hash shuffle ${shuffleMB.toFixed(0)} MB + count`,
    mb: shuffleMB,
    outDir: false,
    cmd: (where) => `${node} ${script} ${sq(path.relative(root, file))} ${sq(where)} ${opts.executors} 2`,
    verify: (mode, run, _out, stdout, rec) => {
      const n = Number(stdout.trim());
      if (n !== sh.rows) {
        verification.ok = false;
        verification.problems.push(`${mode} run ${run}: count ${stdout.trim()}, expected ${sh.rows}`);
      }
      verification.runsChecked++;
      const check = { count: n };
      if (rec.agentTasks) check.crossAgentBytes = crossAgentBytes(rec.agentTasks, sh.bytes);
      return check;
    },
  });
  result.shuffledBytes = sh.bytes;
  result.verification = verification;
  result.verification.text = verification.ok ? `count() = ${sh.rows} (the number of lines) in all ${verification.runsChecked} runs` : `FAILED: ${verification.problems.join('; ')}`;
  const cross = result.modes.cluster.runs.map((r) => r.check.crossAgentBytes).filter((x) => x != null);
  if (cross.length) result.crossAgentBytesMedian = median(cross);
  return result;
}

/**
 * Bytes of the shuffle that crossed agents, estimated from where the agents ran the tasks: a
 * consumer reads every producer's shard for its partition; the part written on another agent
 * crossed. Each producer's share of a partition is taken as proportional to its rows.
 */
function crossAgentBytes(agentTasks, totalBytes) {
  const producers = [];
  const consumers = [];
  for (const a of agentTasks) {
    for (const t of a.tasks) {
      if (/ScatterPartitions/.test(t.task)) producers.push({ agent: a.agent, rows: t.rowsIn });
      else if (/^CollectPartitions/.test(t.task)) consumers.push({ agent: a.agent, rows: t.rowsIn });
    }
  }
  const total = sum(producers.map((p) => p.rows));
  const consumed = sum(consumers.map((c) => c.rows));
  if (!total || !consumed) return null;
  let crossRows = 0;
  for (const c of consumers) crossRows += c.rows * (sum(producers.filter((p) => p.agent !== c.agent).map((p) => p.rows)) / total);
  return Math.round(totalBytes * (crossRows / consumed));
}

/**
 * Raw shard throughput between agents: a 200 MB shard (800 frames of 256 KB) is written to agent A
 * with WriteShard, then read by a one-task ExecuteTask (input: that shard, countRows, output: a
 * shard on the executing agent) on agent B (remote read over ReadShard) and on agent A (local read,
 * the baseline). Wall time from the ExecuteTask call to its `done` event.
 */
async function benchRaw(ctx) {
  const { opts, cluster } = ctx;
  const { createAgentClient, openShardWriter, readShardFrames, callMetadata, unary } = protoApi();
  const { encodeRows, decodeRows, encodeValue } = require('@gleam/executor');
  const secret = process.env.GLEAM_SECRET || undefined;
  const FRAMES = 800;
  const ROWS_PER_FRAME = 256;
  // Rows of one 1020-byte binary field: 1 (fixarray) + 3 (bin16 header) + 1020 = 1024 bytes per
  // row, so a frame is 256 KiB (+3 bytes of array header). Binary fields keep decoding cheap, so
  // the task measures transport, not string decoding. Eight different frames, cycled.
  const frames = [];
  for (let k = 0; k < 8; k++) {
    const rows = [];
    for (let i = 0; i < ROWS_PER_FRAME; i++) rows.push([crypto.randomBytes(1020)]);
    frames.push(encodeRows(rows));
  }
  const frameBytes = frames[0].length;
  const totalBytes = frameBytes * FRAMES;
  const mb = totalBytes / 1e6;
  const [A, B] = cluster.agents;
  const clientA = createAgentClient(A.address);
  const clientB = createAgentClient(B.address);
  const jobId = `bench-raw-${process.pid}`;
  const write = { runs: [] };
  const remote = { runs: [] };
  const local = { runs: [] };
  const verification = { ok: true, problems: [], expectedRows: FRAMES * ROWS_PER_FRAME };

  const execute = (client, spec, shardLocations) => new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const call = client.ExecuteTask({ jobId, task: encodeValue(spec), shardLocations }, callMetadata(secret));
    let settled = false;
    const finish = (err, stats) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve({ wall: Number(process.hrtime.bigint() - t0) / 1e9, stats });
    };
    call.on('data', (ev) => {
      if (ev.done) finish(null, { rowsIn: Number(ev.done.rowsIn), rowsOut: Number(ev.done.rowsOut), millis: Number(ev.done.millis) });
      else if (ev.failed) finish(new Error(`task failed: ${ev.failed.message} (${ev.failed.step})`));
    });
    call.on('error', (e) => finish(e));
    call.on('end', () => finish(new Error('ExecuteTask ended without a result')));
  });
  const readCount = async (client, shard) => {
    let n = 0;
    let rows = 0;
    for await (const f of readShardFrames(client, shard, { secret })) {
      for (const r of decodeRows(f)) {
        rows++;
        n += Number(r[0]);
      }
    }
    return { rows, count: n };
  };
  const deleteAll = () => Promise.all([clientA, clientB].map((c) => unary(c.DeleteShards.bind(c), { prefix: `${jobId}/` }, callMetadata(secret), 5000).catch((e) => log(`DeleteShards failed: ${e.message}`))));

  try {
    for (let run = 1; run <= opts.runs; run++) {
      const inShard = `${jobId}/in-${run}`;
      // 1. WriteShard: this process -> agent A.
      let t0 = process.hrtime.bigint();
      const w = openShardWriter(clientA, inShard, secret);
      for (let i = 0; i < FRAMES; i++) {
        const p = w.write(frames[i % frames.length]);
        if (p) await p;
      }
      const wr = await w.end();
      const writeWall = Number(process.hrtime.bigint() - t0) / 1e9;
      if (wr.frames !== FRAMES || wr.bytes !== totalBytes) {
        verification.ok = false;
        verification.problems.push(`run ${run}: agent A stored ${wr.frames} frames / ${wr.bytes} bytes, expected ${FRAMES} / ${totalBytes}`);
      }
      write.runs.push({ wall: writeWall, cpu: null });
      const st = await unary(clientA.Status.bind(clientA), {}, callMetadata(secret), 5000);
      const stored = { shardMemoryBytes: Number(st.shardMemoryBytes), spilledBytes: Number(st.spilledBytes) };

      // 2. ExecuteTask on B reading A's shard (ReadShard across agents), then the same on A.
      for (const [which, client, agent, locations, into] of [
        ['remote', clientB, B, { [inShard]: A.address }, remote],
        ['local', clientA, A, {}, local],
      ]) {
        const outShard = `${jobId}/count-${which}-${run}`;
        const spec = {
          id: `tg0.${run}`,
          name: `ReadShard-CountRows.${which}.${run}`,
          stepGroup: 0,
          partition: 0,
          input: { kind: 'shards', shards: [inShard] },
          instructions: [{ op: 'countRows', step: 'count#1' }],
          output: { kind: 'shard', shard: outShard },
        };
        const cpu0 = cluster.agents.map((a) => procCpu(a.proc.proc.pid));
        const busy0 = machineBusy();
        const self0 = process.cpuUsage();
        const r = await execute(client, spec, locations);
        const cpu1 = cluster.agents.map((a) => procCpu(a.proc.proc.pid));
        const self1 = process.cpuUsage(self0);
        const agentsCpu = sum(cpu1.map((c, i) => c - cpu0[i]));
        const otherCpu = Math.max(0, machineBusy() - busy0 - agentsCpu - (self1.user + self1.system) / 1e6);
        const counted = await readCount(client, outShard);
        if (r.stats.rowsIn !== verification.expectedRows || counted.count !== verification.expectedRows || counted.rows !== 1) {
          verification.ok = false;
          verification.problems.push(`run ${run} ${which}: rowsIn ${r.stats.rowsIn}, counted ${counted.count} in ${counted.rows} rows, expected ${verification.expectedRows} in 1 row`);
        }
        into.runs.push({ wall: r.wall, taskMillis: r.stats.millis, cpu: agentsCpu, otherCpu, agent: agent.address });
      }
      await deleteAll();
      log(`run ${run}/${opts.runs} raw       write ${writeWall.toFixed(2)} s, remote read ${remote.runs[run - 1].wall.toFixed(2)} s, local read ${local.runs[run - 1].wall.toFixed(2)} s (A held ${(stored.shardMemoryBytes / 1e6).toFixed(0)} MB in memory, ${(stored.spilledBytes / 1e6).toFixed(0)} MB spilled)`);
      write.runs[run - 1].stored = stored;
    }
  } finally {
    await deleteAll();
    clientA.close();
    clientB.close();
  }
  for (const x of [write, remote, local]) Object.assign(x, summarize(x.runs, mb));
  write.name = `WriteShard bench process -> agent A`;
  remote.name = `ExecuteTask on B, shard on A (ReadShard across agents)`;
  local.name = `ExecuteTask on A, shard on A (local store)`;
  verification.text = verification.ok
    ? `every write stored ${FRAMES} frames / ${totalBytes} bytes; every task read ${verification.expectedRows} rows and its output shard held that count`
    : `FAILED: ${verification.problems.join('; ')}`;
  return { name: `raw shard read ${(totalBytes / 2 ** 20).toFixed(0)} MiB`, bytes: totalBytes, frames: FRAMES, frameBytes, rowsPerFrame: ROWS_PER_FRAME, mb, write, remote, local, ratio: { best: remote.best / local.best, median: remote.median / local.median }, verification };
}

// ---------------------------------------------------------------- footprint

async function footprint(opts) {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-footprint-'));
  let cluster;
  try {
    const t0 = Date.now();
    cluster = await startCluster({ agents: 1, executors: opts.footprintExecutors, memoryMb: opts.agentMemory, workDir });
    activeCluster = cluster;
    const up = (Date.now() - t0) / 1000;
    await sleep(Math.max(0, opts.footprintWait * 1000 - (Date.now() - t0)));
    const master = procMem(cluster.masterProc.proc.pid);
    const agent = procMem(cluster.agents[0].proc.proc.pid);
    // The agent starts its executor threads on its first task: measure again after a tiny job
    // (8 numbers in as many partitions as the agent has executors) and another wait.
    const warmScript = `require('@gleam/flow-dsl').Flow && new (require('@gleam/flow-dsl').Flow)('footprint warm-up')` +
      `.ints([1, 2, 3, 4, 5, 6, 7, 8], ${opts.footprintExecutors}).map('(x) => x * 2').count({ master: ${JSON.stringify(cluster.master)} })` +
      `.then((n) => { if (n !== 8) throw new Error('count ' + n); }).catch((e) => { console.error(e); process.exit(1); })`;
    await timed('footprint warm-up job', `${sq(process.execPath)} -e ${sq(warmScript)}`, {});
    await sleep(opts.footprintWait * 1000);
    const masterAfterJob = procMem(cluster.masterProc.proc.pid);
    const agentAfterJob = procMem(cluster.agents[0].proc.proc.pid);
    const result = {
      benchmark: 'distributed-footprint',
      date: new Date().toISOString(),
      node: process.version,
      waitSeconds: opts.footprintWait,
      startupSeconds: +up.toFixed(2),
      master: { pid: cluster.masterProc.proc.pid, ...master },
      agent: { pid: cluster.agents[0].proc.proc.pid, executors: opts.footprintExecutors, memoryMb: opts.agentMemory, ...agent },
      afterOneJob: { master: masterAfterJob, agent: agentAfterJob },
      targetMB: 80,
    };
    result.met = master.rssMB < 80 && agent.rssMB < 80;
    return result;
  } finally {
    state.stopping = true;
    await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main

function machine() {
  return { cores: os.availableParallelism(), cpu: os.cpus()[0] && os.cpus()[0].model, memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1), platform: `${os.platform()} ${os.release()}` };
}

function writeJson(prefix, json) {
  fs.mkdirSync(resultsDir, { recursive: true });
  const out = path.join(resultsDir, `${prefix}-${new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.json`);
  fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  return out;
}

/** Tasks of a run grouped by step group (the task name without partition numbers). */
function taskGroups(tasks) {
  const groups = new Map();
  for (const t of tasks) {
    const g = t.task.replace(/\.\d+/g, '');
    const x = groups.get(g) ?? { tasks: 0, sumMs: 0, maxMs: 0, rowsIn: 0 };
    x.tasks++;
    x.sumMs += t.millis;
    x.maxMs = Math.max(x.maxMs, t.millis);
    x.rowsIn += t.rowsIn;
    groups.set(g, x);
  }
  return groups;
}

const bestRunOf = (mode) => mode.runs[mode.runs.map((x) => x.wall).indexOf(mode.best)];

function perAgentSummary(run) {
  if (!run.agentTasks) return '';
  return run.agentTasks.map((a) => `${a.agent}: ${a.tasks.length} tasks, ${sum(a.tasks.map((t) => t.millis))} ms`).join('; ');
}

function report(json) {
  const rows = [];
  const header = `${pad('benchmark', 34)} ${pad('mode', 28)} ${pad('best s', 7, true)} ${pad('median s', 8, true)} ${pad('MB/s', 7, true)} ${pad('cpu s*', 7, true)}`;
  const lines = [
    `distributed benchmark, ${json.runs} runs, node ${process.version}, ${json.machine.cores} cores; cluster: master + ${json.cluster.agents} agents x ${json.cluster.agentExecutors} executor(s) on 127.0.0.1; local mode: ${json.executors} executors`,
    header,
    '-'.repeat(header.length),
  ];
  for (const key of ['wordcount', 'sort', 'shuffle']) {
    const r = json.results[key];
    if (!r) continue;
    for (const m of ['local', 'cluster']) {
      const x = r.modes[m];
      rows.push(`${pad(m === 'local' ? r.name : '', 34)} ${pad(x.name, 28)} ${pad(fmt(x.best), 7, true)} ${pad(fmt(x.median), 8, true)} ${pad(fmt(x.mbps, 1), 7, true)} ${pad(fmt(x.cpuBest), 7, true)}`);
    }
  }
  const raw = json.results.raw;
  if (raw) {
    for (const [k, label] of [['remote', 'read on B from A (remote)'], ['local', 'read on A from A (local)'], ['write', 'WriteShard bench -> A']]) {
      const x = raw[k];
      rows.push(`${pad(k === 'remote' ? raw.name : '', 34)} ${pad(label, 28)} ${pad(fmt(x.best), 7, true)} ${pad(fmt(x.median), 8, true)} ${pad(fmt(x.mbps, 1), 7, true)} ${pad(k === 'write' ? '-' : fmt(x.cpuBest), 7, true)}`);
    }
  }
  lines.push(...rows);
  lines.push(`(* user+sys CPU seconds of the best run: local = the driver process; cluster = driver + master + agents; raw = both agents. MB/s = input MB / best s; shuffle: MB through the shuffle; raw: shard MB)`);
  lines.push(`(1-min load average ${json.loadAverage.before[0]} before, ${json.loadAverage.after[0]} after)`);
  lines.push('');
  for (const key of ['wordcount', 'sort', 'shuffle']) {
    const r = json.results[key];
    if (!r) continue;
    let line = `${r.name}: distributed/local = ${r.ratio.best.toFixed(2)}x on best (${r.ratio.median.toFixed(2)}x on medians)`;
    if (r.target) line += ` - target <= ${r.target.maxRatio}x ${r.target.met ? 'met' : 'NOT met'}`;
    lines.push(line);
    if (key === 'shuffle' && r.crossAgentBytesMedian != null) {
      const c = r.modes.cluster;
      lines.push(`  ${(r.shuffledBytes / 1e6).toFixed(1)} MB shuffled, about ${(r.crossAgentBytesMedian / 1e6).toFixed(1)} MB of it across agents: ${(r.shuffledBytes / 1e6 / c.best).toFixed(1)} MB/s shuffled, ${(r.crossAgentBytesMedian / 1e6 / c.best).toFixed(1)} MB/s across agents (whole job, best run)`);
      // The consumers start after the producers ended (2 slots), so their time is the read side
      // of the shuffle: shuffled MB / the longest consumer task, per mode, over all runs (best).
      const readRate = (mode) => Math.max(...mode.runs.map((run) => {
        const ms = Math.max(...run.tasks.filter((t) => t.task.startsWith('CollectPartitions')).map((t) => t.millis));
        return ms > 0 ? r.shuffledBytes / 1e6 / (ms / 1000) : 0;
      }));
      r.consumerReadMBps = { local: readRate(r.modes.local), cluster: readRate(c) };
      lines.push(`  read side (consumer tasks, shuffled MB / longest consumer task, best run): local ${r.consumerReadMBps.local.toFixed(0)} MB/s, cluster ${r.consumerReadMBps.cluster.toFixed(0)} MB/s`);
    }
    const best = bestRunOf(r.modes.cluster);
    if (best && best.agentTasks) lines.push(`  cluster best run, tasks per agent: ${perAgentSummary(best)}`);
    // Task times of the best runs, per step group (from the drivers' GLEAM_PROGRESS lines).
    const lg = taskGroups(bestRunOf(r.modes.local).tasks);
    const cg = taskGroups(best.tasks);
    for (const [g, l] of lg) {
      const c = cg.get(g);
      const fmtG = (x) => (x ? `${x.tasks} tasks, sum ${(x.sumMs / 1000).toFixed(2)} s, max ${(x.maxMs / 1000).toFixed(2)} s` : '-');
      lines.push(`  task times ${g}: local ${fmtG(l)} | cluster ${fmtG(c)}`);
    }
    lines.push(`  verified: ${r.verification.text}`);
  }
  if (raw) {
    lines.push(`${raw.name}: across agents ${raw.remote.mbps.toFixed(1)} MB/s vs local store ${raw.local.mbps.toFixed(1)} MB/s (remote/local time ${raw.ratio.best.toFixed(2)}x on best, ${raw.ratio.median.toFixed(2)}x on medians); WriteShard ${raw.write.mbps.toFixed(1)} MB/s`);
    lines.push(`  verified: ${raw.verification.text}`);
  }
  // Other processes' CPU during the timed runs (the machine should be otherwise idle).
  const timedRuns = [];
  for (const r of Object.values(json.results)) {
    if (r.modes) for (const m of Object.values(r.modes)) timedRuns.push(...m.runs);
    if (r.remote) timedRuns.push(...r.remote.runs, ...r.local.runs);
  }
  const other = sum(timedRuns.map((x) => x.otherCpu || 0));
  const capacity = sum(timedRuns.map((x) => x.wall)) * json.machine.cores;
  json.otherCpuSeconds = +other.toFixed(2);
  lines.push(`other processes used ${other.toFixed(2)} CPU s during the kept timed runs (${((100 * other) / capacity).toFixed(1)}% of the machine's capacity in that time)`);
  const discarded = [];
  for (const [k, r] of Object.entries(json.results)) if (r.modes) for (const [mk, m] of Object.entries(r.modes)) if (m.discarded.length) discarded.push(`${k} ${mk} ${m.discarded.length}`);
  if (discarded.length) lines.push(`runs discarded and repeated because other processes were busy (> ${BUSY_SHARE * 100}% of the machine): ${discarded.join(', ')}`);
  const allOk = Object.values(json.results).every((r) => r.verification.ok);
  lines.push(allOk ? 'all outputs verified' : 'VERIFICATION FAILED (see above)');
  return { text: lines.join('\n'), ok: allOk };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.footprint) {
    const loadBefore = os.loadavg();
    const r = await footprint(opts);
    r.loadAverage = { before: loadBefore.map((x) => +x.toFixed(2)), after: os.loadavg().map((x) => +x.toFixed(2)) };
    r.machine = machine();
    const text = [
      `idle footprint after ${opts.footprintWait} s (node ${process.version}), target < 80 MB each:`,
      `  master                             VmRSS ${fmt(r.master.rssMB, 1)} MB = ${fmt(r.master.rssMiB, 1)} MiB (peak ${fmt(r.master.peakMB, 1)} MB, ${r.master.threads} threads)`,
      `  agent (${r.agent.executors} executors, --memory ${r.agent.memoryMb})  VmRSS ${fmt(r.agent.rssMB, 1)} MB = ${fmt(r.agent.rssMiB, 1)} MiB (peak ${fmt(r.agent.peakMB, 1)} MB, ${r.agent.threads} threads)`,
      `  target ${r.met ? 'met' : 'NOT met'} (the agent starts its executor threads on its first task; they are not running yet)`,
      `after one tiny job (executor threads started) and another ${opts.footprintWait} s:`,
      `  master                             VmRSS ${fmt(r.afterOneJob.master.rssMB, 1)} MB = ${fmt(r.afterOneJob.master.rssMiB, 1)} MiB (${r.afterOneJob.master.threads} threads)`,
      `  agent                              VmRSS ${fmt(r.afterOneJob.agent.rssMB, 1)} MB = ${fmt(r.afterOneJob.agent.rssMiB, 1)} MiB (peak ${fmt(r.afterOneJob.agent.peakMB, 1)} MB, ${r.afterOneJob.agent.threads} threads)`,
    ].join('\n');
    process.stdout.write(`${text}\n`);
    const out = writeJson('distributed-footprint', r);
    process.stdout.write(`results written to ${path.relative(root, out)}\n`);
    return 0;
  }

  const need = new Set(opts.only);
  const ctx = { opts };
  if (need.has('wordcount')) ctx.corpus = ensureCorpus(opts.size);
  if (need.has('sort') || need.has('shuffle')) ctx.records = ensureRecords(opts.records);

  const loadBefore = os.loadavg();
  log(`${os.availableParallelism()} cores, 1-min load average ${loadBefore[0].toFixed(2)}; ${opts.runs} runs each; benchmarks: ${opts.only.join(', ')}`);
  if (loadBefore[0] > os.availableParallelism() / 2) log(`warning: the machine is busy (load average ${loadBefore.map((x) => x.toFixed(2)).join(' ')}); figures will be noisy`);
  ctx.workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-distributed-'));
  ctx.outRoot = path.join(dataDir, `distributed-out-${process.pid}`);
  fs.mkdirSync(ctx.outRoot, { recursive: true });
  cleanupHooks.push(() => fs.rmSync(ctx.outRoot, { recursive: true, force: true }));

  const t0 = Date.now();
  ctx.cluster = await startCluster({ agents: 2, executors: opts.agentExecutors, memoryMb: opts.agentMemory, workDir: ctx.workDir });
  activeCluster = ctx.cluster;
  const cl = ctx.cluster;
  log(`cluster up in ${((Date.now() - t0) / 1000).toFixed(1)} s: master ${cl.master} (pid ${cl.masterProc.proc.pid}), agents ${cl.agents.map((a) => `${a.address} (pid ${a.proc.proc.pid})`).join(', ')}; logs in ${ctx.workDir}`);
  await sleep(1000);
  const memAtStart = { master: procMem(cl.masterProc.proc.pid), agents: cl.agents.map((a) => procMem(a.proc.proc.pid)) };

  const results = {};
  if (need.has('wordcount')) results.wordcount = await benchWordcount(ctx);
  if (need.has('sort')) results.sort = await benchSort(ctx);
  if (need.has('shuffle')) results.shuffle = await benchShuffle(ctx);
  if (need.has('raw')) results.raw = await benchRaw(ctx);
  const memAtEnd = { master: procMem(cl.masterProc.proc.pid), agents: cl.agents.map((a) => procMem(a.proc.proc.pid)) };
  // What the agents still hold after every job (every job deletes its shards at its end); asked
  // of the agents themselves (the master only knows the last heartbeat).
  const statusAtEnd = await Promise.all(cl.agents.map((a) => agentStatus(a.address).then(
    (st) => ({ agent: a.address, shards: st.shards, shardMemoryBytes: Number(st.shardMemoryBytes), spilledBytes: Number(st.spilledBytes), busy: st.busy }),
    (e) => ({ agent: a.address, error: e.message }),
  )));
  const loadAfter = os.loadavg();

  const json = {
    benchmark: 'distributed',
    date: new Date().toISOString(),
    loadAverage: { before: loadBefore.map((x) => +x.toFixed(2)), after: loadAfter.map((x) => +x.toFixed(2)) },
    machine: machine(),
    node: process.version,
    runs: opts.runs,
    executors: opts.executors,
    cluster: { agents: cl.agents.length, agentExecutors: opts.agentExecutors, agentMemoryMb: opts.agentMemory, master: cl.master, agentAddresses: cl.agents.map((a) => a.address), memoryAtStart: memAtStart, memoryAtEnd: memAtEnd, statusAtEnd },
    inputs: {
      corpus: ctx.corpus ? { file: path.relative(root, ctx.corpus), bytes: fs.statSync(ctx.corpus).size, sizeArg: opts.size } : undefined,
      records: ctx.records ? { file: path.relative(root, ctx.records), bytes: fs.statSync(ctx.records).size, records: opts.records } : undefined,
    },
    results: roundDeep(results),
  };
  const { text, ok } = report(json);
  process.stdout.write(`${text}\n`);
  const out = writeJson('distributed', json);
  process.stdout.write(`results written to ${path.relative(root, out)}\n`);
  return ok ? 0 : 1;
}

/** Numbers in the JSON with 3 decimals at most (integers stay as they are). */
function roundDeep(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : r3(v);
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return v;
}

let activeCluster = null;
const cleanupHooks = [];
let signalled = false;
let cleaning = null;

/** Stops every process this script started (drivers, agents, then the master); idempotent. */
function cleanup({ keepLogs = false } = {}) {
  cleaning ??= (async () => {
    state.stopping = true;
    if (currentDriver) signal(currentDriver, 'SIGKILL');
    await stopCluster(activeCluster);
    // Anything else still running (a reference sort, a driver).
    await Promise.all([...children].map((c) => stopChild(c, 2000)));
    for (const h of cleanupHooks) {
      try {
        h();
      } catch {
        // best effort
      }
    }
    if (activeCluster) {
      if (keepLogs) for (const a of activeCluster.agents) fs.rmSync(a.dir, { recursive: true, force: true });
      else fs.rmSync(activeCluster.workDir, { recursive: true, force: true });
    }
  })();
  return cleaning;
}

function onSignal(sig) {
  if (signalled) return;
  signalled = true;
  log(`${sig}: stopping every process started by this script`);
  cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

main().then(
  async (code) => {
    if (signalled) return; // the signal handler exits
    await cleanup();
    process.exit(code);
  },
  async (err) => {
    if (signalled) return;
    process.stderr.write(`run.js: ${err && err.stack ? err.stack : err}\n`);
    if (activeCluster) process.stderr.write(`run.js: agent and master logs kept in ${activeCluster.workDir}\n`);
    await cleanup({ keepLogs: true });
    process.exit(1);
  },
);
