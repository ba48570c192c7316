#!/usr/bin/env node
// delegate throughput: 10,000 rows through ds.delegate(url, { concurrency }) against a local
// service (service.js, forked: its own process) that answers every request after 20 ms. The
// ideal is concurrency × executors / 20 ms (every task keeps `concurrency` requests in flight all
// the time); target: >= 80 % of it. The time measured is the whole collect(), job start
// included. Every run checks its rows: [i, { v: 2i }] for every i, in order within partitions.
// A baseline shows what the machine and the service allow: the same requests from a plain
// undici loop in this process (one Pool, concurrency × executors requests in flight, no Gleam).
//
//   node bench/delegate/run.js [--modes local,cluster] [--rows 10000] [--delay-ms 20]
//        [--concurrency 16,64] [--executors 2] [--batch-size 1]
// The table goes to stdout, progress to stderr.
'use strict';
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startCluster, stopCluster } = require('../benchCluster');

const root = path.resolve(__dirname, '..', '..');
const { Flow } = require(path.join(root, 'packages', 'flow-dsl'));
const { Pool } = require(require.resolve('undici', { paths: [path.join(root, 'packages', 'executor')] }));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

function parseArgs(argv) {
  const opts = { modes: ['local', 'cluster'], rows: 10000, delayMs: 20, concurrency: [16, 64], executors: 2, batchSize: 1 };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    if (name === '--modes') opts.modes = value.split(',');
    else if (name === '--rows') opts.rows = Number(value);
    else if (name === '--delay-ms') opts.delayMs = Number(value);
    else if (name === '--concurrency') opts.concurrency = value.split(',').map(Number);
    else if (name === '--executors') opts.executors = Number(value);
    else if (name === '--batch-size') opts.batchSize = Number(value);
    else throw new Error(`unknown argument ${argv[i]} (see the header of ${__filename})`);
  }
  if (opts.modes.some((m) => m !== 'local' && m !== 'cluster') || !(opts.rows > 0) || !(opts.delayMs > 0) || opts.concurrency.some((c) => !(c > 0)) || !(opts.executors > 0) || !(opts.batchSize > 0)) throw new Error('bad arguments');
  return opts;
}

/** Forks the service and resolves { port, ask(msg) } once it listens. */
function startService(delayMs) {
  const child = fork(path.join(__dirname, 'service.js'), [String(delayMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const replies = [];
  child.on('message', (m) => replies.shift()?.(m));
  const ask = (msg) => new Promise((resolve) => {
    replies.push(resolve);
    child.send(msg);
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the service exited (${code})`)));
    replies.push((m) => resolve({ child, port: m.port, ask }));
  });
}

async function runOnce(url, ask, { mode, master, executors, concurrency, rows, delayMs, batchSize }) {
  await ask('reset');
  const values = Array.from({ length: rows }, (_, i) => i);
  const flow = new Flow(`delegate bench ${mode} c${concurrency}`);
  const t0 = process.hrtime.bigint();
  const out = await flow.slices(values, executors).delegate({ url, concurrency, batchSize }).collect(master ? { master, executors } : { executors });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await flow.close();
  const { stats } = await ask('stats');
  // Partitions come back in order, each in input order: the whole output is in input order.
  if (out.length !== rows || out.some((r, i) => r[0] !== i || r[1].v !== 2 * i)) throw new Error(`${mode} c${concurrency}: wrong rows`);
  // The same job without the service: what starting it and moving the rows cost.
  const plainFlow = new Flow(`delegate bench ${mode} no service`);
  const t1 = process.hrtime.bigint();
  await plainFlow.slices(values, executors).map((v) => [v, { v: 2 * v }]).collect(master ? { master, executors } : { executors });
  const jobSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
  await plainFlow.close();
  const rate = rows / seconds;
  const ideal = (concurrency * executors * batchSize) / (delayMs / 1000);
  return { mode, executors, concurrency, batchSize, rows, seconds, jobSeconds, rate, ideal, pct: (100 * rate) / ideal, ...stats };
}

/** The same requests without Gleam: `inFlight` loops over one keep-alive pool. */
async function baseline(port, ask, { inFlight, rows, delayMs, batchSize }) {
  await ask('reset');
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: inFlight });
  const requests = Math.ceil(rows / batchSize);
  let next = 0;
  const t0 = process.hrtime.bigint();
  const loop = async () => {
    while (next < requests) {
      const i = next++;
      const body = batchSize === 1 ? JSON.stringify(i) : JSON.stringify(Array.from({ length: batchSize }, (_, k) => i * batchSize + k));
      const res = await pool.request({ path: '/score', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      JSON.parse(await res.body.text());
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  await pool.close();
  const rate = rows / seconds;
  return { seconds, rate, pct: (100 * rate) / ((inFlight * batchSize) / (delayMs / 1000)) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const loadBefore = os.loadavg()[0].toFixed(1);
  const service = await startService(opts.delayMs);
  const url = `http://127.0.0.1:${service.port}/score`;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-delegate-'));
  const results = [];
  let cluster;
  try {
    for (const mode of opts.modes) {
      let master;
      let executors = opts.executors;
      if (mode === 'cluster') {
        cluster = await startCluster({ agents: 2, executors: opts.executors, memoryMb: 1024, workDir });
        master = cluster.master;
        executors = 2 * opts.executors;
      }
      // A warm-up run: threads, pools and sockets as a long job would have them.
      await runOnce(url, service.ask, { mode, master, executors, concurrency: opts.concurrency[0], rows: Math.min(opts.rows, 500), delayMs: opts.delayMs, batchSize: opts.batchSize });
      for (const concurrency of opts.concurrency) {
        log(`${mode}: ${opts.rows} rows, ${executors} executors, concurrency ${concurrency}`);
        const r = await runOnce(url, service.ask, { mode, master, executors, concurrency, rows: opts.rows, delayMs: opts.delayMs, batchSize: opts.batchSize });
        r.base = await baseline(service.port, service.ask, { inFlight: concurrency * executors, rows: opts.rows, delayMs: opts.delayMs, batchSize: opts.batchSize });
        results.push(r);
      }
      if (cluster) {
        await stopCluster(cluster);
        cluster = undefined;
      }
    }
  } finally {
    if (cluster) await stopCluster(cluster);
    if (service.child.exitCode === null) {
      const exited = new Promise((r) => service.child.once('exit', r));
      service.child.send('stop');
      await exited;
    }
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  console.log(`service delay ${opts.delayMs} ms, batchSize ${opts.batchSize}; ideal = concurrency × executors${opts.batchSize > 1 ? ' × batchSize' : ''} / ${opts.delayMs} ms`);
  console.log('| mode | executors | concurrency | rows | seconds | rows/s | ideal rows/s | % of ideal | max in flight | sockets | plain undici rows/s (% of ideal) | Gleam / plain | the job without delegate |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.mode} | ${r.executors} | ${r.concurrency} | ${fmt(r.rows)} | ${r.seconds.toFixed(2)} | ${fmt(r.rate)} | ${fmt(r.ideal)} | ${r.pct.toFixed(0)} % | ${r.maxInFlight} | ${r.connections} | ${fmt(r.base.rate)} (${r.base.pct.toFixed(0)} %) | ${((100 * r.rate) / r.base.rate).toFixed(0)} % | ${r.jobSeconds.toFixed(2)} s |`);
  }
  console.log(`load average before / after: ${loadBefore} / ${os.loadavg()[0].toFixed(1)} (${os.availableParallelism()} cores)`);
  const below = results.filter((r) => r.pct < 80);
  if (below.length > 0) console.log(`below the 80 % target: ${below.map((r) => `${r.mode} c${r.concurrency}`).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
