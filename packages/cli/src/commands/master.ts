// `gleam master`: runs the control plane until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { resolveSecret, secretOptions, type SecretFlags } from '../secretOption';
import { stopOnSignals } from '../stopOnSignals';
import { serverTls, serverTlsOptions, type ServerTlsFlags } from '../tlsOptions';
import { logLevelOption, type LogLevel } from '../conventions';

export function parsePort(min: number) {
  return (value: string): number => {
    const n = value === 'off' ? -1 : Number(value);
    if (!Number.isInteger(n) || n < min || n > 65535) throw new InvalidArgumentError(`expected a port number${min < 0 ? ' (-1 or off: none)' : ''}`);
    return n;
  };
}

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive number of milliseconds');
  return n;
}

interface MasterCommandOptions extends SecretFlags, ServerTlsFlags {
  host: string;
  port: number;
  httpPort?: number;
  driverTimeout?: number;
  agentTimeout?: number;
  streamTimeout?: number;
  logLevel?: LogLevel;
}

async function runMaster(opts: MasterCommandOptions): Promise<void> {
  // Loaded here, not at the top: `gleam run` must not pay for gRPC and pino.
  const { startMaster } = await import('@gleam/master');
  const { createLogger } = await import('../logger');
  const logger = createLogger({ name: 'gleam-master', level: opts.logLevel });
  const secret = resolveSecret(opts, (message) => logger.warn(message));
  const tls = serverTls(opts, 'master');
  const master = await startMaster({ host: opts.host, port: opts.port, httpPort: opts.httpPort, secret, tls, insecure: opts.insecure, driverTimeoutMs: opts.driverTimeout, deadAfterMs: opts.agentTimeout, streamLostAfterMs: opts.streamTimeout, logger });
  logger.info(
    { address: master.address, http: master.httpUrl, tls: Boolean(tls) },
    `master listening on ${master.address}${tls ? ' (TLS)' : ''}${master.httpUrl ? `, status page ${master.httpUrl}` : ''}`,
  );
  stopOnSignals(logger, () => master.stop());
}

export function masterCommand(): Command {
  const cmd = new Command('master')
    .description('run the master of a cluster: agent registry, slot allocation, status page (https with --tls-cert; log in at /login when the cluster has a secret)')
    .option('--host <host>', 'interface to bind (any but loopback needs a secret, and TLS or --insecure)', '127.0.0.1')
    .option('--port <port>', 'gRPC port (0: a free port)', parsePort(0), 45326)
    .option('--http-port <port>', 'status page port (default: port + 10000; 0: a free port; -1 or off: none)', parsePort(-1))
    .option('--driver-timeout <ms>', 'a driver whose job lease is silent this long is lost: its job fails and is stopped', positiveMs, 6000)
    .option('--agent-timeout <ms>', 'an agent silent this long (no heartbeat) is lost: running jobs recompute its work elsewhere', positiveMs, 10000)
    .option('--stream-timeout <ms>', 'a running stream whose driver has not reported for the larger of this and 5 batch intervals is shown lost', positiveMs, 30000);
  for (const o of [logLevelOption(), ...secretOptions(), ...serverTlsOptions()]) cmd.addOption(o);
  return cmd.action((opts: MasterCommandOptions) => runMaster(opts));
}
