// Wires one agent: gRPC server, shard store, executor pool, peer clients and heartbeats.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agentServiceDefinition, bindServer, clientTlsOf, newServer, requireSafeBind, type ServerTls } from '@gleam/proto';
import pino, { type Logger } from 'pino';
import { AgentShards } from './agentShards';
import { agentHandlers } from './agentService';
import { CancelledJobs } from './cancelledJobs';
import { ExecutorPool } from './executorPool';
import { HeartbeatLoop } from './heartbeatLoop';
import { PeerClients } from './peerClients';
import { guardAgentHandlers } from './secretGuard';
import { removeStaleSpills } from './staleSpills';
import { TaskShardAccess } from './taskShardAccess';

export const DEFAULT_AGENT_PORT = 45327;

export interface AgentOptions {
  /** The master's host:port. */
  master: string;
  /** Interface to bind; default 127.0.0.1 (any other needs a secret, and TLS unless `insecure`). */
  host?: string;
  /** Default 45327; 0 picks a free port. */
  port?: number;
  /** Spill and work directory; default os.tmpdir()/gleam-agent-<port>. */
  dir?: string;
  /** Executor threads; default os.availableParallelism(). */
  executors?: number;
  /** Shard store memory budget; default 1024. */
  memoryMb?: number;
  secret?: string;
  /**
   * Serve with TLS, and speak TLS to the master and to peer agents, trusting `tls.ca` (the
   * system's roots when absent): a cluster uses TLS throughout or not at all.
   */
  tls?: ServerTls;
  /** Allow a non-loopback bind without TLS (a network the operator trusts). */
  insecure?: boolean;
  heartbeatMs?: number;
  logger?: Logger;
  /**
   * Start executor threads on their first task (default true): an idle agent with 2 started
   * threads measured ~86 MB RSS, ~63 MB without them.
   */
  lazyExecutors?: boolean;
  /** Stop the executor threads after the pool has been idle this long (default 30000; 0 = never). */
  idleStopMs?: number;
  /**
   * A read of a shard that does not exist and that no task or WriteShard stream here is about to
   * write fails after this long with NOT_FOUND (default 30000): readers may ask before a writer
   * starts, but a deleted or lost shard must not keep them waiting for ever.
   */
  missingShardTimeoutMs?: number;
}

export const DEFAULT_MISSING_SHARD_TIMEOUT_MS = 30000;

export interface AgentHandle {
  /** Advertised host:port. */
  address: string;
  /** Cancels tasks, terminates executor threads, deletes every shard and spill file, closes the server and the heartbeat. */
  stop(): Promise<void>;
}

export const AGENT_VERSION: string = (require('../package.json') as { version: string }).version;

function parseHostPort(s: string, what: string): void {
  const m = /^(.+):(\d+)$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw new Error(`${what}: expected HOST:PORT, got "${s}"`);
}

function positiveInt(v: number, what: string): number {
  if (!Number.isInteger(v) || v < 1) throw new Error(`gleam agent: ${what} must be a positive integer, got ${v}`);
  return v;
}

export async function startAgent(opts: AgentOptions): Promise<AgentHandle> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.logger ?? pino({ name: 'gleam-agent' });
  const executors = positiveInt(opts.executors ?? os.availableParallelism(), 'executors');
  const memoryMb = positiveInt(opts.memoryMb ?? 1024, 'memory (MB)');
  const heartbeatMs = positiveInt(opts.heartbeatMs ?? 2000, 'heartbeat interval (ms)');
  const missingShardTimeoutMs = positiveInt(opts.missingShardTimeoutMs ?? DEFAULT_MISSING_SHARD_TIMEOUT_MS, 'the missing-shard timeout (ms)');
  parseHostPort(opts.master, 'gleam agent --master');
  requireSafeBind(host, { secret: opts.secret, tls: Boolean(opts.tls), insecure: opts.insecure }, 'gleam agent');
  const clientTls = clientTlsOf(opts.tls);

  const server = newServer();
  let port: number;
  try {
    port = await bindServer(server, host, opts.port ?? DEFAULT_AGENT_PORT, opts.tls);
  } catch (e) {
    server.forceShutdown();
    throw new Error(`gleam agent: cannot listen on ${host}:${opts.port ?? DEFAULT_AGENT_PORT}: ${(e as Error).message}`);
  }
  // A wildcard bind is not an address peers can dial: advertise the machine's name instead.
  const advertisedHost = host === '0.0.0.0' || host === '::' || host === '[::]' ? os.hostname() : host;
  const address = `${advertisedHost.includes(':') && !advertisedHost.startsWith('[') ? `[${advertisedHost}]` : advertisedHost}:${port}`;
  // The default dir is named after our port, so nobody else uses it while we hold the port.
  const ownDir = opts.dir === undefined;
  const dir = path.resolve(opts.dir ?? path.join(os.tmpdir(), `gleam-agent-${port}`));
  removeStaleSpills(dir, log);

  const shards = new AgentShards({ memoryBudgetBytes: memoryMb * 1024 * 1024, spillDir: dir, missingShardTimeoutMs, where: () => `agent ${address}` });
  const peers = new PeerClients(opts.secret, clientTls);
  // Operator state (sorts, joins, groups) gets a quarter as much again as the shard store, split
  // among the executor slots: the rest of 2 x --memory is for the threads' heaps, frames in
  // flight and allocator slack (measured: ~280 MB at --memory 256 with 2 executors). Over it,
  // tasks spill to files in the agent's dir (removed with their task).
  const limits = { taskMemoryBytes: Math.floor((memoryMb * 1024 * 1024) / 4 / executors), spillDir: dir };
  const pool = new ExecutorPool(executors, () => new TaskShardAccess(shards, peers, () => address), opts.idleStopMs ?? 30000, limits);
  let heartbeat: HeartbeatLoop | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      heartbeat?.stop();
      // Cancels every call in flight: ExecuteTask callers see the end, shard streams abort.
      server.forceShutdown();
      pool.cancelAll();
      await pool.terminate();
      await shards.store.dispose();
      peers.close();
      if (ownDir) fs.rmSync(dir, { recursive: true, force: true });
      log.info({ address }, 'agent stopped');
    })();
    return stopping;
  };

  const lazy = opts.lazyExecutors ?? true;
  try {
    await pool.start(lazy);
    server.addService(
      agentServiceDefinition(),
      guardAgentHandlers(agentHandlers({ shards, pool, jobs: new CancelledJobs(), log, address: () => address, memoryMb, version: AGENT_VERSION }), opts.secret),
    );
    const startedMs = Date.now();
    heartbeat = new HeartbeatLoop({
      master: opts.master,
      secret: opts.secret,
      tls: clientTls,
      intervalMs: heartbeatMs,
      log,
      beat: () => {
        const st = shards.store.stats();
        return {
          address,
          executors,
          memoryMb,
          busyExecutors: pool.busy,
          shardMemoryBytes: st.memoryBytes,
          spilledBytes: st.spilledBytes,
          shards: st.shards.length,
          version: AGENT_VERSION,
          startedMs,
        };
      },
    });
    heartbeat.start();
    log.info(
      { address, master: opts.master, executors, memoryMb, dir, lazyExecutors: lazy, secret: Boolean(opts.secret), tls: Boolean(opts.tls) },
      `agent started on ${address}`,
    );
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  return { address, stop };
}
