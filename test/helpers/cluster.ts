// A real local cluster for tests: `gleam master` and `gleam agent` as separate OS processes on
// free loopback ports, stopped (by PID) when the test is done.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { gleam, repoRoot } from './runNode';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface TestCluster {
  master: string;
  /** host:port of the master's status page. */
  http: string;
  agents: { address: string; dir: string; proc: ChildProcess }[];
  masterProc: ChildProcess;
  logs: () => string;
  /** Stops the master (SIGTERM) and starts a new one on the same ports (its state is soft). */
  restartMaster(): Promise<void>;
  /** Kills one agent with SIGKILL (an agent lost in the middle of a job). */
  killAgent(i: number): void;
  /** Starts agent i again (same address and directory) once its process is gone; resolves when every agent is alive. */
  restartAgent(i: number): Promise<void>;
  stop(): Promise<void>;
}

const GLEAM = path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js');

function startProcess(args: string[], env: NodeJS.ProcessEnv, log: string[]): ChildProcess {
  const p = spawn(process.execPath, [GLEAM, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const tag = args[0];
  p.stdout!.setEncoding('utf8').on('data', (d) => log.push(`[${tag} out] ${d}`));
  p.stderr!.setEncoding('utf8').on('data', (d) => log.push(`[${tag} err] ${d}`));
  return p;
}

function stopProcess(p: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      p.kill('SIGKILL');
    }, timeoutMs);
    p.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

export interface ClusterOptions {
  agents?: number;
  executors?: number;
  secret?: string;
  memoryMb?: number;
  driverTimeoutMs?: number;
  /** The master's --agent-timeout: an agent silent this long is lost. */
  agentTimeoutMs?: number;
  /** The master's --stream-timeout: a running stream not reported for this long (or 5 batches) is lost. */
  streamTimeoutMs?: number;
  /** The agents' --heartbeat interval. */
  heartbeatMs?: number;
  /** Environment of the servers and of the `gleam status` calls that wait for them (e.g. GLEAM_TLS_*). */
  env?: NodeJS.ProcessEnv;
  /** Flags added to both `gleam master` and `gleam agent` (e.g. --tls-cert, --secret-file). */
  serverArgs?: string[];
  /** Environment of the `gleam status` calls only, over `env`. */
  clientEnv?: NodeJS.ProcessEnv;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const log: string[] = [];
  const env: NodeJS.ProcessEnv = { ...(opts.secret ? { GLEAM_SECRET: opts.secret } : {}), ...opts.env };
  const statusEnv = { ...env, ...opts.clientEnv };
  const masterPort = await freePort();
  const httpPort = await freePort();
  const master = `127.0.0.1:${masterPort}`;
  const masterArgs = ['master', '--host', '127.0.0.1', '--port', String(masterPort), '--http-port', String(httpPort), ...(opts.serverArgs ?? [])];
  if (opts.driverTimeoutMs !== undefined) masterArgs.push('--driver-timeout', String(opts.driverTimeoutMs));
  if (opts.agentTimeoutMs !== undefined) masterArgs.push('--agent-timeout', String(opts.agentTimeoutMs));
  if (opts.streamTimeoutMs !== undefined) masterArgs.push('--stream-timeout', String(opts.streamTimeoutMs));
  const agents: TestCluster['agents'] = [];
  const agentArgs: string[][] = [];
  const cluster: TestCluster = {
    master,
    http: `127.0.0.1:${httpPort}`,
    agents,
    masterProc: startProcess(masterArgs, env, log),
    logs: () => log.join(''),
    async restartMaster() {
      await stopProcess(cluster.masterProc);
      cluster.masterProc = startProcess(masterArgs, env, log);
      await waitForAgents(master, agents.length, statusEnv, log);
    },
    killAgent(i) {
      agents[i].proc.kill('SIGKILL');
    },
    async restartAgent(i) {
      await stopProcess(agents[i].proc);
      agents[i].proc = startProcess(agentArgs[i], env, log);
      await waitForAgents(master, agents.length, opts.secret, log);
    },
    async stop() {
      await Promise.all(agents.map((a) => stopProcess(a.proc)));
      await stopProcess(cluster.masterProc);
      for (const a of agents) fs.rmSync(a.dir, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < (opts.agents ?? 2); i++) {
      const port = await freePort();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-agent-'));
      const args = ['agent', '--master', master, '--host', '127.0.0.1', '--port', String(port), '--dir', dir, '--executors', String(opts.executors ?? 2), '--memory', String(opts.memoryMb ?? 512), ...(opts.serverArgs ?? [])];
      if (opts.heartbeatMs !== undefined) args.push('--heartbeat', String(opts.heartbeatMs));
      agentArgs.push(args);
      agents.push({ address: `127.0.0.1:${port}`, dir, proc: startProcess(args, env, log) });
    }
    await waitForAgents(master, agents.length, statusEnv, log);
    return cluster;
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

async function waitForAgents(master: string, n: number, env: NodeJS.ProcessEnv, log: string[]): Promise<void> {
  const deadline = Date.now() + 20000;
  let last = '';
  while (Date.now() < deadline) {
    const r = await gleam(['status', '--master', master, '--json'], { env, timeoutMs: 10000 }).catch((e) => ({ code: 1, stdout: '', stderr: String(e) }));
    last = r.stdout + r.stderr;
    if (r.code === 0) {
      const st = JSON.parse(r.stdout) as { agents: { alive: boolean }[] };
      if (st.agents.filter((a) => a.alive).length >= n) return;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`the cluster did not come up: ${last}\n${log.join('')}`);
}
