// `gleam agent`: runs one agent (executor pool + shard host) until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { resolveSecret, secretOptions, type SecretFlags } from '../secretOption';
import { stopOnSignals } from '../stopOnSignals';
import { serverTls, serverTlsOptions, type ServerTlsFlags } from '../tlsOptions';
import { logLevelOption, type LogLevel } from '../conventions';
import { masterAddress } from '../masterCall';

function intOption(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}

interface AgentCommandOptions extends SecretFlags, ServerTlsFlags {
  master?: string;
  logLevel?: LogLevel;
  host: string;
  port: number;
  dir?: string;
  executors?: number;
  memory: number;
  heartbeat?: number;
  missingShardTimeoutMs: number;
}

async function runAgent(opts: AgentCommandOptions): Promise<void> {
  // Loaded here, not at the top: `gleam run` must not pay for gRPC and pino.
  const { startAgent } = await import('@gleam/agent');
  const { createLogger } = await import('../logger');
  const logger = createLogger({ name: 'gleam-agent', level: opts.logLevel });
  const secret = resolveSecret(opts, (message) => logger.warn(message));
  const agent = await startAgent({
    master: masterAddress(opts.master),
    host: opts.host,
    port: opts.port,
    dir: opts.dir,
    executors: opts.executors,
    memoryMb: opts.memory,
    secret,
    tls: serverTls(opts, 'gleam agent'),
    insecure: opts.insecure,
    missingShardTimeoutMs: opts.missingShardTimeoutMs,
    heartbeatMs: opts.heartbeat,
    logger,
  });
  stopOnSignals(logger, () => agent.stop(), { address: agent.address });
}

export function agentCommand(): Command {
  const cmd = new Command('agent')
    .description('run an agent: executes task groups and hosts shards for a master (with --tls-cert it serves TLS and speaks TLS to the master and its peers)')
    .option('--master <host:port>', 'the master to register with (default: GLEAM_MASTER, then 127.0.0.1:45326)')
    .option('--host <host>', 'interface to bind (any but loopback needs a secret, and TLS or --insecure)', '127.0.0.1')
    .option('--port <port>', 'gRPC port (0: a free port)', intOption('a port number', 0, 65535), 45327)
    .option('--dir <dir>', 'spill and work directory (default: <tmp>/gleam-agent-<port>, removed at exit)')
    .option('--executors <n>', 'executor threads (default: the number of cores)', intOption('a positive integer', 1))
    .option('--memory <mb>', 'memory for shards before they spill to --dir, in MB', intOption('a positive integer', 1), 1024)
    .option('--heartbeat <ms>', 'interval of heartbeats to the master (keep it well under the master\'s --agent-timeout)', intOption('a positive integer', 1), 2000)
    .option('--missing-shard-timeout-ms <ms>', 'a read of a shard that does not exist and that nothing here is about to write fails after this long (NOT_FOUND)', intOption('a positive number of milliseconds', 1), 30000);
  for (const o of [logLevelOption(), ...secretOptions(), ...serverTlsOptions()]) cmd.addOption(o);
  return cmd.action((opts: AgentCommandOptions) => runAgent(opts));
}
