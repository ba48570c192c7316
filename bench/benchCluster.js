// A local cluster for the benchmarks: a master and agents as `gleam` processes on free loopback
// ports, each in its own process group with its log in a file, stopped by PID in order; and the
// registry of every child a benchmark started, killed when the benchmark process exits.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const GLEAM = path.join(root, 'packages', 'cli', 'bin', 'gleam.js');
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
/** state.stopping: the benchmark is shutting down, so children exiting is expected. */
const state = { stopping: false };

const children = new Set();

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const alive = (p) => p.exitCode === null && p.signalCode === null;

/** Sends a signal to a child by its PID (to its whole process group when it leads one). */
function signal(c, sig) {
  try {
    process.kill(c.group ? -c.proc.pid : c.proc.pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM, then SIGKILL after timeoutMs; resolves when the process has exited. */
function stopChild(c, timeoutMs = 5000) {
  if (!alive(c.proc)) {
    children.delete(c);
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const t = setTimeout(() => signal(c, 'SIGKILL'), timeoutMs);
    c.proc.once('exit', () => {
      clearTimeout(t);
      children.delete(c);
      resolve();
    });
    signal(c, 'SIGTERM');
  });
}

// Last resort: whatever is still running when this process exits is killed.
process.on('exit', () => {
  for (const c of children) if (alive(c.proc)) signal(c, 'SIGKILL');
});

/** A `gleam` server process (master or agent), its stderr (pino JSON lines) in logFile. */
function startServer(name, args, logFile, append = false) {
  const fd = fs.openSync(logFile, append ? 'a' : 'w');
  // Own process group: a Ctrl-C on the terminal reaches this script, which stops the cluster in
  // order (agents, then the master).
  const proc = spawn(process.execPath, [GLEAM, ...args], { cwd: root, stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  const c = { name, proc, group: false, logFile };
  children.add(c);
  proc.on('exit', () => {
    if (!state.stopping && !c.stopping) log(`warning: ${name} (pid ${proc.pid}) exited (${proc.exitCode ?? proc.signalCode}); log: ${logFile}`);
  });
  return c;
}

function tail(file, n = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n');
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- cluster

function protoApi() {
  return require('@gleam/proto');
}

async function clusterStatus(master) {
  const { createMasterClient, callMetadata, unary } = protoApi();
  const client = createMasterClient(master);
  try {
    return await unary(client.ClusterStatus.bind(client), {}, callMetadata(process.env.GLEAM_SECRET || undefined), 2000);
  } finally {
    client.close();
  }
}

async function agentStatus(address) {
  const { createAgentClient, callMetadata, unary } = protoApi();
  const client = createAgentClient(address);
  try {
    return await unary(client.Status.bind(client), {}, callMetadata(process.env.GLEAM_SECRET || undefined), 2000);
  } finally {
    client.close();
  }
}

/**
 * Starts a master and `agents` agents (extra flags for each in masterArgs / agentArgs); resolves
 * when every agent is registered and alive.
 */
async function startCluster({ agents, executors, memoryMb, workDir, masterArgs = [], agentArgs = [] }) {
  const masterPort = await freePort();
  const httpPort = await freePort();
  const master = `127.0.0.1:${masterPort}`;
  const cluster = { master, masterProc: null, agents: [], workDir };
  cluster.masterProc = startServer('master', ['master', '--host', '127.0.0.1', '--port', String(masterPort), '--http-port', String(httpPort), ...masterArgs], path.join(workDir, 'master.log'));
  for (let i = 0; i < agents; i++) {
    const port = await freePort();
    const dir = path.join(workDir, `agent-${i}`);
    const logFile = path.join(workDir, `agent-${i}.log`);
    const args = ['agent', '--master', master, '--host', '127.0.0.1', '--port', String(port), '--dir', dir, '--executors', String(executors), '--memory', String(memoryMb), ...agentArgs];
    const proc = startServer(`agent ${i}`, args, logFile);
    cluster.agents.push({ address: `127.0.0.1:${port}`, dir, logFile, proc, args });
  }
  await waitForAgents(cluster);
  return cluster;
}

/** Resolves when every agent of the cluster is registered and alive (30 s at most). */
async function waitForAgents(cluster) {
  const want = new Set(cluster.agents.map((a) => a.address));
  const deadline = Date.now() + 30000;
  let last = '';
  for (;;) {
    for (const c of [cluster.masterProc, ...cluster.agents.map((a) => a.proc)]) {
      if (!alive(c.proc)) throw new Error(`${c.name} exited during start-up (${c.proc.exitCode ?? c.proc.signalCode}):\n${tail(c.logFile)}`);
    }
    try {
      const st = await clusterStatus(cluster.master);
      const up = st.agents.filter((a) => a.alive && want.has(a.address));
      last = `${up.length}/${want.size} agents registered`;
      if (up.length === want.size) return;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`the cluster did not come up within 30 s: ${last}`);
    await sleep(200);
  }
}

/** Starts agent i again (same address, directory and flags) after its process ended. */
function restartAgent(cluster, i) {
  const a = cluster.agents[i];
  a.proc = startServer(`agent ${i}`, a.args, a.logFile, true);
  return a.proc;
}

async function stopCluster(cluster) {
  if (!cluster) return;
  const agentProcs = cluster.agents.map((a) => a.proc);
  for (const c of [...agentProcs, cluster.masterProc]) if (c) c.stopping = true;
  await Promise.all(agentProcs.map((c) => stopChild(c)));
  if (cluster.masterProc) await stopChild(cluster.masterProc);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


module.exports = { GLEAM, children, state, freePort, alive, signal, stopChild, startServer, tail, protoApi, clusterStatus, agentStatus, startCluster, waitForAgents, restartAgent, stopCluster, sleep };
