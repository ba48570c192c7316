#!/usr/bin/env node
// `npm run demo`: the word count example locally (worker-thread executors), then on a real
// local cluster — `gleam master` and two `gleam agent` processes on free loopback ports —
// checking that both give the same output. Every process it starts is stopped at the end.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const gleam = path.join(root, 'packages', 'cli', 'bin', 'gleam.js');
const input = process.argv[2] ?? path.join(root, 'examples', 'data', 'sample.txt');
const started = [];

function runGleam(title, args) {
  process.stdout.write(`\n== ${title}\n$ gleam ${args.join(' ')}\n`);
  const t = Date.now();
  const r = spawnSync(process.execPath, [gleam, ...args], { cwd: root, encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0) throw new Error(r.stderr || `gleam ${args[0]} exited with ${r.status}`);
  return { out: r.stdout, ms: Date.now() - t };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function startServer(args) {
  const p = spawn(process.execPath, [gleam, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, GLEAM_LOG_LEVEL: 'warn' } });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  p.logs = () => err;
  started.push(p);
  return p;
}

function stopAll() {
  return Promise.all(
    started.map(
      (p) =>
        new Promise((resolve) => {
          if (p.exitCode !== null || p.signalCode !== null) return resolve();
          const t = setTimeout(() => p.kill('SIGKILL'), 5000);
          p.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
          p.kill('SIGTERM');
        }),
    ),
  );
}

async function waitForAgents(master, n) {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync(process.execPath, [gleam, 'status', '--master', master, '--json'], { encoding: 'utf8' });
    if (r.status === 0 && JSON.parse(r.stdout).agents.filter((a) => a.alive).length >= n) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`the local cluster did not come up:\n${started.map((p) => p.logs()).join('')}`);
}

function top(out, ms) {
  const lines = out.trim().split('\n');
  return `${lines.slice(0, 8).join('\n')}\n... ${lines.length} distinct words in ${ms} ms\n`;
}

async function main() {
  const plan = runGleam('the plan of examples/wordcount.ts', ['plan', 'examples/wordcount.ts', input]);
  process.stdout.write(`=== step groups ===${plan.out.split('=== step groups ===')[1]}`);

  const local = runGleam('word count in local mode (worker-thread executors)', ['run', 'examples/wordcount.ts', input]);
  process.stdout.write(top(local.out, local.ms));

  const masterPort = await freePort();
  const master = `127.0.0.1:${masterPort}`;
  const dirs = [];
  process.stdout.write(`\n== a local cluster: gleam master on ${master} and 2 gleam agents\n`);
  startServer(['master', '--port', String(masterPort), '--http-port', String(await freePort())]);
  for (let i = 0; i < 2; i++) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-demo-agent-'));
    dirs.push(dir);
    startServer(['agent', '--master', master, '--port', String(await freePort()), '--dir', dir, '--executors', '2']);
  }
  try {
    await waitForAgents(master, 2);
    process.stdout.write(runGleam('cluster status', ['status', '--master', master]).out);
    const remote = runGleam('word count on the cluster', ['run', 'examples/wordcount.ts', input, '--master', master]);
    process.stdout.write(top(remote.out, remote.ms));
    if (remote.out !== local.out) throw new Error('the cluster and local mode gave different outputs');
    process.stdout.write('\nthe cluster and local mode gave identical output\n');
  } finally {
    await stopAll();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}

process.on('SIGINT', () => stopAll().then(() => process.exit(130)));
main().catch(async (e) => {
  await stopAll();
  process.stderr.write(`demo failed: ${e.message}\n`);
  process.exit(1);
});
