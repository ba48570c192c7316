#!/usr/bin/env node
// Streaming figures: a socket word count (socketTextStream -> flatMap words -> reduceByKey ->
// foreachBatch collect) with batchMs 500, locally (2 executor threads) and on a local cluster (a
// master and 2 agents as processes on 127.0.0.1). The lines (~100 bytes, 13 words of a fixed
// Zipf-skewed vocabulary) come from a forked line server (lineServer.js) at a set rate.
//
//   sustained  rates step up (--rates); a rate is sustained when, over its last --step-s seconds,
//              every batch's processing time stayed under batchMs, the stream took in at least
//              97% of the lines written, and the server was never held back by the socket.
//              The highest sustained rate is the figure (target: >= 200,000 lines/s locally).
//   latency    at half that rate for --latency-s seconds: ~100 probe lines a second carry their
//              send time; latency = when the batch holding the probe has its result - send time.
//              p50 and p99 (target: p99 <= 2 x batchMs).
// Every run is checked: once the rate drops to 0 and the stream has caught up, the counts summed
// over all batches must equal the counts of every word the server wrote.
//
//   node bench/streaming/run.js [--modes local,cluster] [--batch-ms 500] [--rates 100000,...]
//        [--step-s 6] [--latency-s 10] [--agent-executors 2]
// The table goes to stdout, progress to stderr, figures to bench/results/streaming-<ISO time>.json.
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, stopCluster, sleep } = require('../benchCluster');
const { isProbe, probeSentMs } = require('./lines');
const { writeResults } = require('../results');

const root = path.resolve(__dirname, '..', '..');
const { Flow } = require(path.join(root, 'packages', 'flow-dsl'));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseArgs(argv) {
  const opts = { modes: ['local', 'cluster'], batchMs: 500, rates: [50000, 100000, 150000, 200000, 250000, 300000, 350000, 400000, 500000, 600000, 700000, 800000], stepS: 6, latencyS: 10, agentExecutors: 2 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (name === '--modes') opts.modes = value.split(',');
    else if (name === '--batch-ms') opts.batchMs = Number(value);
    else if (name === '--rates') opts.rates = value.split(',').map(Number);
    else if (name === '--step-s') opts.stepS = Number(value);
    else if (name === '--latency-s') opts.latencyS = Number(value);
    else if (name === '--agent-executors') opts.agentExecutors = Number(value);
    else throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
  }
  if (opts.modes.some((m) => m !== 'local' && m !== 'cluster') || !(opts.batchMs > 0) || opts.rates.some((r) => !(r > 0)) || !(opts.stepS > 0) || !(opts.latencyS > 0)) throw new Error('bad arguments');
  return opts;
}

const quantile = (xs, q) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** The forked line server: request/response over IPC. */
async function startLineServer() {
  const child = fork(path.join(__dirname, 'lineServer.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map();
  child.on('message', (m) => {
    const w = waiting.get(m.type);
    if (w) {
      waiting.delete(m.type);
      w(m);
    }
  });
  const next = (type) => new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`line server: no ${type} reply in 30 s`)), 30000);
    waiting.set(type, (m) => {
      clearTimeout(t);
      resolve(m);
    });
  });
  const ready = await next('ready');
  const ask = async (msg, reply) => {
    const p = next(reply);
    child.send(msg);
    return p;
  };
  return {
    port: ready.port,
    setRate: (rate) => ask({ type: 'rate', rate }, 'rateSet'),
    stats: () => ask({ type: 'stats' }, 'stats'),
    totals: () => ask({ type: 'totals' }, 'totals'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const t = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        if (child.connected) child.send({ type: 'stop' });
        else child.kill('SIGTERM');
      }),
  };
}

/** One stream against one line server; figures of every batch kept. */
async function startStream(port, runOpts, batchMs) {
  const flow = new Flow('streaming bench');
  const ssc = flow.streaming({ batchMs, ...runOpts });
  const counts = new Map();
  const probes = []; // [sentMs, resultMs]
  const batches = [];
  ssc
    .socketTextStream('127.0.0.1', port)
    .flatMap((line) => line.split(' ').map((w) => [w, 1]))
    .reduceByKey((a, b) => a + b)
    .foreachBatch(async (ds) => {
      const rows = await ds.collect();
      const now = Date.now();
      for (const [w, n] of rows) {
        if (isProbe(w)) probes.push([probeSentMs(w), now]);
        else counts.set(w, (counts.get(w) || 0) + n);
      }
    });
  ssc.on('batch', (i) => batches.push(i));
  let failure;
  ssc.on('error', (e) => (failure = e));
  await ssc.start();
  return { flow, ssc, counts, probes, batches, failure: () => failure };
}

/** Lines taken in by batches ending in [fromMs, toMs), and the worst delay among them. */
function window(batches, fromMs, toMs) {
  const bs = batches.filter((b) => b.timeMs > fromMs && b.timeMs <= toMs);
  return { records: bs.reduce((n, b) => n + b.records, 0), worstProcessingMs: Math.max(0, ...bs.map((b) => b.processingMs)), worstDelayMs: Math.max(0, ...bs.map((b) => b.totalDelayMs)), batches: bs.length };
}

async function measure(mode, runOpts, opts) {
  const server = await startLineServer();
  const stream = await startStream(server.port, runOpts, opts.batchMs);
  const out = { mode, steps: [], sustained: 0 };
  try {
    // Wait for the receiver to connect.
    for (let i = 0; i < 100 && !(await server.stats()).connected; i++) await sleep(50);
    for (const rate of opts.rates) {
      await server.setRate(rate);
      // One step to ramp up (buffers fill, the JIT warms), then the measured step.
      await sleep(opts.stepS * 500);
      const s0 = await server.stats();
      const t0 = Date.now();
      await sleep(opts.stepS * 1000);
      const s1 = await server.stats();
      const t1 = Date.now();
      // Batches covering the step, plus the time they need to finish.
      await sleep(2 * opts.batchMs + 200);
      if (stream.failure()) throw stream.failure();
      const w = window(stream.batches, t0 + opts.batchMs, t1);
      const written = ((s1.lines - s0.lines) * (t1 - t0 - opts.batchMs)) / (t1 - t0);
      const step = {
        rate,
        writtenPerS: Math.round(((s1.lines - s0.lines) * 1000) / (t1 - t0)),
        takenPerS: Math.round((w.records * 1000) / (t1 - t0 - opts.batchMs)),
        heldBack: s1.stalledTicks - s0.stalledTicks,
        worstProcessingMs: w.worstProcessingMs,
        worstDelayMs: w.worstDelayMs,
      };
      step.ok = step.heldBack === 0 && w.records >= 0.97 * written && step.worstProcessingMs < opts.batchMs && step.writtenPerS >= 0.97 * rate;
      out.steps.push(step);
      log(`${mode} ${rate} lines/s: written ${step.writtenPerS}/s, taken ${step.takenPerS}/s, held back ${step.heldBack} ticks, worst processing ${step.worstProcessingMs} ms, worst delay ${step.worstDelayMs} ms -> ${step.ok ? 'sustained' : 'NOT sustained'}`);
      if (!step.ok) break;
      out.sustained = rate;
    }
    // Catch up, then latency at half the sustained rate.
    await server.setRate(0);
    await sleep(3 * opts.batchMs);
    const half = Math.max(1000, Math.round((out.sustained || opts.rates[0]) / 2));
    await server.setRate(half);
    await sleep(2000);
    const from = Date.now();
    await sleep(opts.latencyS * 1000);
    const to = Date.now();
    await server.setRate(0);
    await sleep(2 * opts.batchMs + 500);
    const lat = stream.probes.filter(([sent]) => sent >= from && sent < to).map(([sent, done]) => done - sent);
    out.latency = { rate: half, probes: lat.length, p50Ms: quantile(lat, 0.5), p99Ms: quantile(lat, 0.99), maxMs: Math.max(...lat) };
    log(`${mode} latency at ${half} lines/s: p50 ${out.latency.p50Ms} ms, p99 ${out.latency.p99Ms} ms (${lat.length} probes)`);
    // Verify: every word written was counted exactly once.
    const totals = await server.totals();
    const until = Date.now() + 60000;
    while (stream.batches.reduce((n, b) => n + b.records, 0) < totals.lines && Date.now() < until) await sleep(200);
    const taken = stream.batches.reduce((n, b) => n + b.records, 0);
    const wrong = totals.counts.filter(([w, n]) => (stream.counts.get(w) || 0) !== n);
    out.verified = taken === totals.lines && wrong.length === 0 && stream.probes.length === totals.probes;
    out.lines = totals.lines;
    if (!out.verified) log(`${mode}: CHECK FAILED: ${taken} of ${totals.lines} lines taken, ${wrong.length} words with wrong counts, ${stream.probes.length} of ${totals.probes} probes`);
    else log(`${mode}: all ${totals.lines} lines counted exactly once`);
  } finally {
    await stream.ssc.stop().catch(() => undefined);
    await stream.flow.close().catch(() => undefined);
    await server.stop();
  }
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = [];
  let cluster;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-streaming-'));
  try {
    for (const mode of opts.modes) {
      if (mode === 'local') {
        results.push(await measure('local', { executors: 2 }, opts));
      } else {
        cluster ??= await startCluster({ agents: 2, executors: opts.agentExecutors, memoryMb: 2048, workDir });
        results.push(await measure('cluster', { master: cluster.master }, opts));
      }
    }
  } finally {
    if (cluster) await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const line = (cells) => `| ${cells.join(' | ')} |`;
  console.log(`\nsocket word count, batchMs ${opts.batchMs}, ${os.cpus().length} cores, node ${process.version}\n`);
  console.log(line(['mode', 'highest sustained rate', `p50 / p99 latency at half rate`, 'checked']));
  console.log(line(['---', '---:', '---:', '---']));
  for (const r of results) {
    console.log(line([r.mode, `${r.sustained.toLocaleString('en-US')} lines/s`, `${r.latency.p50Ms} / ${r.latency.p99Ms} ms (${r.latency.rate.toLocaleString('en-US')} lines/s)`, r.verified ? `${r.lines.toLocaleString('en-US')} lines exact` : 'FAILED']));
  }
  const local = results.find((r) => r.mode === 'local');
  if (local) console.log(`\ntarget: >= 200,000 lines/s sustained locally: ${local.sustained >= 200000 ? 'met' : 'NOT met'}`);
  for (const r of results) console.log(`target: p99 <= 2 x batchMs (${2 * opts.batchMs} ms), ${r.mode}: ${r.latency.p99Ms <= 2 * opts.batchMs ? 'met' : 'NOT met'}`);
  if (results.some((r) => r.sustained === opts.rates[opts.rates.length - 1])) console.log('(the highest rate tried was sustained: try higher --rates)');
  log(`figures written to ${writeResults('streaming', { opts, results })}`);
  if (results.some((r) => !r.verified)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
