// Network namespaces for tests: several "hosts" on one machine, each with its own network stack
// and address, joined by one private switch, so that servers bind, advertise and dial real
// non-loopback addresses and a test can pull one host's cable.
//
//   root namespace            untouched: no interface, address or route is added to it
//   gleamnet-<pid>-<n>-hub    the switch: bridge `br0`, one port `p-<node>` per node
//   gleamnet-<pid>-<n>-<node> `lo` and `eth0` (the other end of `p-<node>`), 10.213.S.<k>/24
//
// Everything but the namespace names (the files under /run/netns) lives inside the test's own
// namespaces, so nothing can collide with the host's interfaces or with a concurrent run (the
// names carry the creating process's pid and a counter), and deleting the namespaces deletes the
// veth pairs and the bridge with them. The subnet is never routed from the root namespace, so
// only a process started in one of the nodes (spawn/run below) can reach the others.
//
// Cleanup: destroy() stops every process started in the nodes (SIGTERM by PID, SIGKILL after a
// grace period, then SIGKILL for anything else still inside the namespaces, e.g. pipe commands)
// and deletes the namespaces. Call it in afterAll (jest runs afterAll after a test that timed out
// or failed). For the cases where afterAll never runs, a net also starts a small watchdog process
// (detached, in the root namespace) that does the same cleanup as soon as the process that created
// the net is gone, whether it exited, crashed or was killed with SIGKILL; destroy() stops the
// watchdog by its PID. (A process 'exit' hook alone would not do: inside a jest test file `process`
// is a copy whose 'exit' event never fires; the net registers one anyway, for use outside jest.)
// removeStaleNets() removes namespaces of this helper whose creating process no longer exists,
// should anything have outlived both.
//
// Use:
//   const why = netnsUnavailable();              // skip (saying why) when defined
//   removeStaleNets();
//   const net = TestNet.create(['srv', 'cli']);  // 10.213.S.1 and 10.213.S.2
//   const server = net.spawn('srv', process.execPath, ['server.js', net.node('srv').address]);
//   const r = await net.run('cli', 'curl', [...], { timeoutMs: 5000 });
//   net.cutLink('srv'); ... net.restoreLink('srv');
//   await net.destroy();                         // in afterAll
// test/helpers/netnsCluster.ts builds a gleam cluster on it.
//
// Requirements: root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and `ip` from iproute2. netnsUnavailable()
// says why a test must skip, without leaving anything behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { repoRoot, run, type RunResult } from './runNode';
import { pidAlive } from './processes';

/** Prefix of every namespace this helper creates; the pid of the creating process follows. */
export const NETNS_PREFIX = 'gleamnet-';

/** The node end of each veth pair, inside the node's namespace. */
export const NODE_IFACE = 'eth0';

export interface NetNode {
  /** The name given to create(): `master`, `a1`, ... */
  name: string;
  /** Its namespace (for `ip netns exec` / `ip -n`). */
  ns: string;
  /** Its IPv4 address on the test subnet. */
  address: string;
}

function ip(args: string[], timeoutMs = 10000): string {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: timeoutMs });
  if (r.error) throw new Error(`ip ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** Names of the namespaces of this machine (`ip netns list`). */
export function listNamespaces(): string[] {
  return ip(['netns', 'list'])
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** PIDs of the processes in a namespace (`ip netns pids`), [] when it is gone. */
export function pidsIn(ns: string): number[] {
  const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) return [];
  return r.stdout.split(/\s+/).filter(Boolean).map(Number);
}

/** Interface names of the root namespace (`ip -o link`), to check that a test added none. */
export function rootInterfaces(): string[] {
  return ip(['-o', 'link', 'show'])
    .split('\n')
    .map((l) => /^\d+:\s+([^:@\s]+)/.exec(l)?.[1])
    .filter((n): n is string => Boolean(n));
}


function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** SIGKILLs what is left in `namespaces`, waits (bounded) until they are empty, and deletes them. */
function deleteNamespacesSync(namespaces: string[]): string[] {
  const errors: string[] = [];
  for (const ns of namespaces) for (const pid of pidsIn(ns)) killQuietly(pid, 'SIGKILL');
  const until = Date.now() + 5000;
  while (namespaces.some((ns) => pidsIn(ns).length > 0) && Date.now() < until) sleepSync(50);
  for (const ns of namespaces) {
    // A process that has not died yet keeps the namespace itself alive, but only until it
    // dies: the name goes at once, and the veth pairs and bridge go with the namespace.
    const r = spawnSync('ip', ['netns', 'delete', ns], { encoding: 'utf8', timeout: 10000 });
    if (r.status !== 0 && !/No such file/.test(r.stderr)) errors.push(`ip netns delete ${ns}: ${(r.stderr || String(r.error)).trim()}`);
  }
  return errors;
}

/**
 * Why network namespaces (with a veth pair and a bridge) cannot be created here, or undefined
 * when they can. Creates and deletes one probe namespace.
 */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  const which = spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 5000 });
  if (which.error) return `no \`ip\` command (install iproute2): ${which.error.message}`;
  const probe = `${NETNS_PREFIX}${process.pid}-probe`;
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  try {
    ip(['netns', 'add', probe]);
  } catch (e) {
    return `${(e as Error).message}${uid !== 0 ? ` (running as uid ${uid}, not root)` : ''}`;
  }
  try {
    ip(['-n', probe, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', probe, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    deleteNamespacesSync([probe]);
  }
}

/**
 * Deletes namespaces named by this helper for a process that no longer exists (a run killed
 * before it could clean up), after killing the processes still in them. Returns their names.
 * A namespace whose pid is alive belongs to a concurrent run and is left alone.
 */
export function removeStaleNets(): string[] {
  const stale = listNamespaces().filter((ns) => {
    const m = new RegExp(`^${NETNS_PREFIX}(\\d+)-`).exec(ns);
    return m !== null && !pidAlive(Number(m[1]));
  });
  if (stale.length > 0) deleteNamespacesSync(stale);
  return stale;
}

// The watchdog: node -e WATCHDOG <pid> <prefix>. Polls whether <pid> lives; when it is gone, kills
// the processes in the namespaces named <prefix>* and deletes them, then exits.
const WATCHDOG = `
const { spawnSync } = require('node:child_process');
const [pid, prefix] = process.argv.slice(1);
const alive = (p) => { try { process.kill(p, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const ip = (...a) => spawnSync('ip', a, { encoding: 'utf8', timeout: 10000 });
const mine = () => (ip('netns', 'list').stdout || '').split('\\n').map((l) => l.trim().split(/\\s+/)[0]).filter((n) => n && n.startsWith(prefix));
const pids = (ns) => (ip('netns', 'pids', ns).stdout || '').split(/\\s+/).filter(Boolean).map(Number);
const timer = setInterval(() => {
  if (pidAlive(Number(pid))) return;
  clearInterval(timer);
  const nss = mine();
  for (const ns of nss) for (const p of pids(ns)) { try { process.kill(p, 'SIGKILL'); } catch {} }
  const until = Date.now() + 5000;
  const check = () => {
    if (nss.some((ns) => pids(ns).length > 0) && Date.now() < until) return setTimeout(check, 50);
    for (const ns of nss) ip('netns', 'delete', ns);
  };
  check();
}, 250);
`;

let netsCreated = 0;

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A private network of nodes, each in its own namespace; see the top of this file. */
export class TestNet {
  /** Common prefix of this net's namespaces: `gleamnet-<pid>-<n>-`. */
  readonly prefix: string;
  readonly subnet: string;
  readonly hub: string;
  readonly nodes: Record<string, NetNode> = {};
  private readonly procs = new Set<ChildProcess>();
  private destroyed = false;
  private watchdog?: ChildProcess;
  private readonly onExit = () => this.destroySync();

  private constructor(nodeNames: string[]) {
    const n = ++netsCreated;
    this.prefix = `${NETNS_PREFIX}${process.pid}-${n}-`;
    // Never routed from the root namespace, so any subnet would do; vary it per run for readable logs.
    const s = ((process.pid + n) % 250) + 1;
    this.subnet = `10.213.${s}.0/24`;
    this.hub = `${this.prefix}hub`;
    nodeNames.forEach((name, i) => {
      if (!/^[a-z][a-z0-9]{0,11}$/.test(name)) throw new Error(`node name ${JSON.stringify(name)}: use 1-12 lowercase letters and digits (it names an interface)`);
      this.nodes[name] = { name, ns: `${this.prefix}${name}`, address: `10.213.${s}.${i + 1}` };
    });
  }

  /** Creates the hub (bridge) and one namespace per node, joined by veth pairs; all links up. */
  static create(nodeNames: string[]): TestNet {
    const net = new TestNet(nodeNames);
    net.watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), net.prefix], { detached: true, stdio: 'ignore' });
    net.watchdog.unref();
    process.on('exit', net.onExit); // outside jest: clean up at once when the process exits
    try {
      ip(['netns', 'add', net.hub]);
      ip(['-n', net.hub, 'link', 'add', 'br0', 'type', 'bridge']);
      ip(['-n', net.hub, 'link', 'set', 'br0', 'up']);
      for (const node of Object.values(net.nodes)) {
        ip(['netns', 'add', node.ns]);
        ip(['-n', node.ns, 'link', 'set', 'lo', 'up']);
        // Both ends are created inside our namespaces: never a name in the root namespace.
        ip(['-n', net.hub, 'link', 'add', `p-${node.name}`, 'type', 'veth', 'peer', 'name', NODE_IFACE, 'netns', node.ns]);
        ip(['-n', net.hub, 'link', 'set', `p-${node.name}`, 'master', 'br0', 'up']);
        ip(['-n', node.ns, 'addr', 'add', `${node.address}/24`, 'dev', NODE_IFACE]);
        ip(['-n', node.ns, 'link', 'set', NODE_IFACE, 'up']);
      }
    } catch (e) {
      net.destroySync();
      throw e;
    }
    return net;
  }

  node(name: string): NetNode {
    const n = this.nodes[name];
    if (!n) throw new Error(`no node ${name} in this net (${Object.keys(this.nodes).join(', ')})`);
    return n;
  }

  /** Namespaces of this net: the nodes' and the hub's. */
  namespaces(): string[] {
    return [...Object.values(this.nodes).map((n) => n.ns), this.hub];
  }

  /**
   * Starts `cmd args` inside a node (`ip netns exec`, which execs: the child's PID is the
   * command's). The process is stopped by destroy() if it is still running.
   */
  spawn(node: string, cmd: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    if (this.destroyed) throw new Error('this net is destroyed');
    const p = spawn('ip', ['netns', 'exec', this.node(node).ns, cmd, ...args], { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.procs.add(p);
    p.once('exit', () => this.procs.delete(p));
    return p;
  }

  /** Runs `cmd args` to completion inside a node, with a hard timeout (default 60 s). */
  run(node: string, cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
    if (this.destroyed) throw new Error('this net is destroyed');
    return run('ip', ['netns', 'exec', this.node(node).ns, cmd, ...args], opts);
  }

  /** Pulls a node's cable: `ip link set eth0 down` in its namespace (the switch port loses carrier). */
  cutLink(node: string): void {
    ip(['-n', this.node(node).ns, 'link', 'set', NODE_IFACE, 'down']);
  }

  /** Plugs it back: `ip link set eth0 up` (its address and subnet route come back with it). */
  restoreLink(node: string): void {
    ip(['-n', this.node(node).ns, 'link', 'set', NODE_IFACE, 'up']);
  }

  /** `ip link` flags of the node's interface, e.g. ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']. */
  linkFlags(node: string): string[] {
    const out = ip(['-n', this.node(node).ns, '-o', 'link', 'show', NODE_IFACE]);
    return (/<([^>]*)>/.exec(out)?.[1] ?? '').split(',');
  }

  /** Processes started with spawn() that are still running. */
  running(): ChildProcess[] {
    return [...this.procs].filter((p) => p.pid !== undefined && p.exitCode === null && p.signalCode === null);
  }

  /**
   * Stops every process of this net (SIGTERM, SIGKILL after `graceMs`; then anything else
   * still in its namespaces) and deletes its namespaces. Idempotent. Throws if something is left.
   */
  async destroy(graceMs = 5000): Promise<void> {
    if (this.destroyed) return;
    await Promise.all(
      this.running().map(
        (p) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(() => killQuietly(p.pid!, 'SIGKILL'), graceMs);
            p.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
            killQuietly(p.pid!, 'SIGTERM');
          }),
      ),
    );
    this.release();
    const errors = deleteNamespacesSync(this.namespaces());
    const left = listNamespaces().filter((ns) => ns.startsWith(this.prefix));
    if (left.length > 0) errors.push(`namespaces left: ${left.join(', ')}`);
    if (errors.length > 0) throw new Error(`cleaning up the test net: ${errors.join('; ')}`);
  }

  /** destroy() for exit hooks: SIGKILL at once, everything synchronous. */
  destroySync(): void {
    if (this.destroyed) return;
    for (const p of this.running()) killQuietly(p.pid!, 'SIGKILL');
    this.release();
    deleteNamespacesSync(this.namespaces());
  }

  private release(): void {
    this.destroyed = true;
    if (this.watchdog?.pid !== undefined && this.watchdog.exitCode === null) killQuietly(this.watchdog.pid, 'SIGKILL');
    process.removeListener('exit', this.onExit);
  }
}
