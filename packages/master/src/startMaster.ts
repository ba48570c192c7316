// Starts a master: the Master gRPC service, the HTTP status page and the sweeping timer.
import pino, { type Logger } from 'pino';
import { bindServer, clientTlsOf, masterServiceDefinition, newServer, requireSafeBind, type ServerTls } from '@gleam/proto';
import { cancelJobOnAgents } from './agentCancels';
import { ClusterState } from './clusterState';
import { guardedMasterHandlers, masterHandlers } from './masterService';
import { formatAddress, startStatusHttp, type StatusHttpServer } from './statusHttp';

export const DEFAULT_MASTER_PORT = 45326;

export interface MasterOptions {
  /** Interface to bind; default 127.0.0.1 (any other needs a secret, and TLS unless `insecure`). */
  host?: string;
  /** gRPC port; default 45326; 0 = a free port. */
  port?: number;
  /** Status page port; default port + 10000 (a free one when port is 0); 0 = free; -1 = off. */
  httpPort?: number;
  secret?: string;
  /** Serve gRPC and the status page with TLS; the CA (`tls.ca`) is what the master trusts when it calls agents. */
  tls?: ServerTls;
  /** Allow a non-loopback bind without TLS (a network the operator trusts). */
  insecure?: boolean;
  /** An agent silent this long is dead; default 10000. */
  deadAfterMs?: number;
  /**
   * A driver whose job lease (HoldJob stream) has not beaten for this long, or that opened none
   * this long after its last slot request, is lost: its job fails and is stopped; default 6000.
   */
  driverTimeoutMs?: number;
  /** Dead agents stay listed this long; default 600000. */
  forgetDeadAfterMs?: number;
  /** Finished jobs kept for the status page; default 100. */
  keepFinishedJobs?: number;
  /** A running stream with no report for max(this, 5 batch intervals) is shown lost; default 30000. */
  streamLostAfterMs?: number;
  logger?: Logger;
}

export interface MasterHandle {
  /** host:port actually bound. */
  address: string;
  httpAddress?: string;
  /** The status page's URL ("https://..." with TLS). */
  httpUrl?: string;
  stop(): Promise<void>;
}

function defaultHttpPort(port: number): number {
  return port === 0 || port + 10000 > 65535 ? 0 : port + 10000;
}

export async function startMaster(opts: MasterOptions = {}): Promise<MasterHandle> {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? DEFAULT_MASTER_PORT;
  const secret = opts.secret || undefined;
  requireSafeBind(host, { secret, tls: Boolean(opts.tls), insecure: opts.insecure }, 'master');
  const deadAfterMs = opts.deadAfterMs ?? 10000;
  const driverTimeoutMs = opts.driverTimeoutMs ?? 6000;
  if (!Number.isInteger(driverTimeoutMs) || driverTimeoutMs < 1) throw new Error(`master: the driver timeout must be a positive number of ms, got ${driverTimeoutMs}`);
  if (opts.streamLostAfterMs !== undefined && !(Number.isInteger(opts.streamLostAfterMs) && opts.streamLostAfterMs >= 1)) throw new Error(`master: the stream timeout must be a positive number of ms, got ${opts.streamLostAfterMs}`);
  const logger = opts.logger ?? pino({ name: 'gleam-master' }, pino.destination(2));
  const state = new ClusterState({
    deadAfterMs,
    driverTimeoutMs,
    // Never awaited by the caller: each agent call has its own deadline and logs its failure.
    onJobStopped: (jobId, reason, agents) => void cancelJobOnAgents(agents, jobId, reason, { secret, tls: clientTlsOf(opts.tls) }, logger),
    onAgentRevived: (agent, jobIds, reason) => {
      for (const jobId of jobIds) void cancelJobOnAgents([agent], jobId, reason, { secret, tls: clientTlsOf(opts.tls) }, logger);
    },
    forgetDeadAfterMs: opts.forgetDeadAfterMs ?? 600000,
    keepFinishedJobs: opts.keepFinishedJobs ?? 100,
    streamLostAfterMs: opts.streamLostAfterMs,
    logger,
  });

  const server = newServer();
  server.addService(masterServiceDefinition(), guardedMasterHandlers(masterHandlers(state, logger), secret));
  const boundPort = await bindServer(server, host, port, opts.tls);
  const address = formatAddress(host, boundPort);

  let http: StatusHttpServer | undefined;
  const httpPort = opts.httpPort ?? defaultHttpPort(port);
  if (httpPort >= 0) {
    try {
      http = await startStatusHttp({ host, port: httpPort, secret, tls: opts.tls, status: () => state.status(), job: (jobId) => state.job(jobId), cancel: (jobId, reason) => state.cancel(jobId, reason), logger });
    } catch (e) {
      server.forceShutdown();
      throw new Error(`master: cannot serve the status page on ${formatAddress(host, httpPort)}: ${(e as Error).message}`);
    }
  }

  // Often enough that deaths and lapsed leases are noticed promptly; unref'd so it never holds the process.
  const timer = setInterval(() => state.sweep(), Math.max(20, Math.min(1000, Math.floor(Math.min(deadAfterMs, driverTimeoutMs) / 4))));
  timer.unref();

  let stopped: Promise<void> | undefined;
  return {
    address,
    httpAddress: http?.address,
    httpUrl: http ? `${http.scheme}://${http.address}/` : undefined,
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        // Lease streams are about to be cut: that is the master going away, not their drivers.
        state.shutdown();
        // Heartbeat streams never end on their own, so a graceful shutdown would wait forever.
        server.forceShutdown();
        await http?.close();
        logger.info({ address }, 'master stopped');
      })();
      return stopped;
    },
  };
}
