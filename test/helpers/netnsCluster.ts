// A real cluster on a private network (see netns.ts): `gleam master` and N `gleam agent`s, each in
// its own network namespace, binding and advertising its own address (not loopback, not a
// wildcard), with a shared secret (GLEAM_SECRET, which non-loopback binds require), plus a
// `driver` node from which drivers and `gleam status` reach the cluster over that network only.
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestNet } from './netns';
import { repoRoot, type RunResult } from './runNode';

export const GLEAM_BIN = path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js');
export const MASTER_PORT = 45326;
export const AGENT_PORT = 45327;

const helpCache = new Map<string, string>();
/** `gleam <command> --help`, read once per process. */
function helpOf(command: string): string {
  let h = helpCache.get(command);
  if (h === undefined) {
    const r = spawnSync(process.execPath, [GLEAM_BIN, command, '--help'], { cwd: repoRoot, encoding: 'utf8', timeout: 20000 });
    h = `${r.stdout}${r.stderr}`;
    helpCache.set(command, h);
  }
  return h;
}

/**
 * Flags every server of a test cluster on a non-loopback address gets, whatever its role.
 * `--insecure` only where the CLI knows it (a non-loopback bind may come to require TLS or
 * --insecure): ask the CLI itself, so this works before and after that rule lands.
 */
export function serverFlags(command: 'master' | 'agent'): string[] {
  // An option line (`  --insecure  allow ...`), not a mention in another option's text.
  return /^\s*(-\w, )?--insecure\b/m.test(helpOf(command)) ? ['--insecure'] : [];
}

/**
 * THE one place where a server of a net cluster is started: `gleam <command> <args>` inside
 * `node`'s namespace, bound to the node's address, with the cluster secret in its environment.
 * Add a flag every server needs here.
 */
export function startGleamServer(net: TestNet, node: string, command: 'master' | 'agent', args: string[], secret: string, log: string[]): ChildProcess {
  const host = net.node(node).address;
  const argv = [GLEAM_BIN, command, '--host', host, ...args, ...serverFlags(command)];
  const p = net.spawn(node, process.execPath, argv, { env: { GLEAM_SECRET: secret, GLEAM_MASTER: '' } });
  const tag = `${command}@${host}`;
  p.stdout!.setEncoding('utf8').on('data', (d) => log.push(`[${tag} out] ${d}`));
  p.stderr!.setEncoding('utf8').on('data', (d) => log.push(`[${tag} err] ${d}`));
  p.once('exit', (code, signal) => log.push(`[${tag}] exited (${code ?? signal})\n`));
  return p;
}

export interface NetClusterAgent {
  node: string;
  address: string;
  dir: string;
  proc: ChildProcess;
}

export interface NetCluster {
  net: TestNet;
  secret: string;
  /** The master's advertised address, host:port on the test subnet. */
  master: string;
  masterProc: ChildProcess;
  agents: NetClusterAgent[];
  /** The node drivers run in. */
  driverNode: string;
  /** Everything the servers wrote, for failure messages. */
  logs(): string;
  /** `gleam <args>` in the driver node, with the secret (and no GLEAM_MASTER from outside). */
  gleam(args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** `node <args>` in the driver node, with GLEAM_MASTER and GLEAM_SECRET set for this cluster. */
  driver(args: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunResult>;
  /** Stops every server and process (by PID), deletes the namespaces and the agents' dirs. */
  stop(): Promise<void>;
}

export async function startNetCluster(opts: { agents?: number; executors?: number; memoryMb?: number; secret?: string } = {}): Promise<NetCluster> {
  const nAgents = opts.agents ?? 2;
  const agentNodes = Array.from({ length: nAgents }, (_, i) => `a${i + 1}`);
  const net = TestNet.create(['master', ...agentNodes, 'driver']);
  const secret = opts.secret ?? `netns-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const log: string[] = [];
  const master = `${net.node('master').address}:${MASTER_PORT}`;
  const agents: NetClusterAgent[] = [];
  const driverEnv = { GLEAM_SECRET: secret, GLEAM_MASTER: '' };
  const cluster: NetCluster = {
    net,
    secret,
    master,
    masterProc: startGleamServer(net, 'master', 'master', ['--port', String(MASTER_PORT), '--http-port', String(MASTER_PORT + 10000)], secret, log),
    agents,
    driverNode: 'driver',
    logs: () => log.join(''),
    gleam: (args, o = {}) => net.run('driver', process.execPath, [GLEAM_BIN, ...args], { env: { ...driverEnv, ...o.env }, timeoutMs: o.timeoutMs ?? 30000 }),
    driver: (args, o = {}) => net.run('driver', process.execPath, args, { env: { ...driverEnv, GLEAM_MASTER: master, ...o.env }, timeoutMs: o.timeoutMs ?? 60000 }),
    async stop() {
      try {
        await net.destroy();
      } finally {
        for (const a of agents) fs.rmSync(a.dir, { recursive: true, force: true });
      }
    },
  };
  try {
    for (const node of agentNodes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gleam-netns-${node}-`));
      const proc = startGleamServer(
        net,
        node,
        'agent',
        ['--master', master, '--port', String(AGENT_PORT), '--dir', dir, '--executors', String(opts.executors ?? 2), '--memory', String(opts.memoryMb ?? 256)],
        secret,
        log,
      );
      agents.push({ node, address: `${net.node(node).address}:${AGENT_PORT}`, dir, proc });
    }
    await waitForAgents(cluster, nAgents);
    return cluster;
  } catch (e) {
    await cluster.stop().catch(() => undefined);
    throw e;
  }
}

export interface ClusterStatusJson {
  agents: { address: string; alive: boolean; executors: number }[];
  jobs: { report: { state: string; name: string; error?: string } }[];
}

/** `gleam status --json` from the driver node. */
export async function clusterStatus(cluster: NetCluster): Promise<ClusterStatusJson> {
  const r = await cluster.gleam(['status', '--master', cluster.master, '--json'], { timeoutMs: 15000 });
  if (r.code !== 0) throw new Error(`gleam status failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ClusterStatusJson;
}

async function waitForAgents(cluster: NetCluster, n: number): Promise<void> {
  const deadline = Date.now() + 30000;
  let last = '';
  while (Date.now() < deadline) {
    const dead = [cluster.masterProc, ...cluster.agents.map((a) => a.proc)].find((p) => p.exitCode !== null || p.signalCode !== null);
    if (dead) throw new Error(`a server of the net cluster exited while starting:\n${cluster.logs()}`);
    try {
      const st = await clusterStatus(cluster);
      if (st.agents.filter((a) => a.alive).length >= n) return;
      last = JSON.stringify(st.agents);
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the net cluster did not come up within 30 s: ${last}\n${cluster.logs()}`);
}
