// `gleam agent`: runs one agent (executor pool + shard host) until SIGINT/SIGTERM.
import { Command, InvalidArgumentError } from 'commander';

function intOption(what: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what}`);
    return n;
  };
}

interface AgentCommandOptions {
  master: string;
  host: string;
  port: number;
  dir?: string;
  executors?: number;
  memory: number;
  secret?: string;
  missingShardTimeoutMs: number;
}

async function runAgent(opts: AgentCommandOptions): Promise<void> {
  // Loaded here, not at the top: `gleam run` must not pay for gRPC and pino.
  const { startAgent } = await import('@gleam/agent');
  const { createLogger } = await import('../logger');
  const logger = createLogger({ name: 'gleam-agent' });
  const agent = await startAgent({
    master: opts.master,
    host: opts.host,
    port: opts.port,
    dir: opts.dir,
    executors: opts.executors,
    memoryMb: opts.memory,
    secret: opts.secret || process.env.GLEAM_SECRET || undefined,
    missingShardTimeoutMs: opts.missingShardTimeoutMs,
    logger,
  });
  let stopping = false;
  const shutdown = (signal: string) => {
    // A second signal while stopping is ignored: stop() already cancels everything.
    if (stopping) return;
    stopping = true;
    logger.info({ signal, address: agent.address }, 'stopping');
    agent.stop().then(
      () => process.exit(0),
      (e: Error) => {
        logger.error({ err: e }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export function agentCommand(): Command {
  return new Command('agent')
    .description('run an agent: executes task groups and hosts shards for a master')
    .requiredOption('--master <host:port>', 'the master to register with')
    .option('--host <host>', 'interface to bind (any but loopback needs --secret)', '127.0.0.1')
    .option('--port <port>', 'gRPC port (0: a free port)', intOption('a port number', 0, 65535), 45327)
    .option('--dir <dir>', 'spill and work directory (default: <tmp>/gleam-agent-<port>, removed at exit)')
    .option('--executors <n>', 'executor threads (default: the number of cores)', intOption('a positive integer', 1))
    .option('--memory <mb>', 'memory for shards before they spill to --dir, in MB', intOption('a positive integer', 1), 1024)
    .option('--secret <secret>', 'shared secret of the cluster (or GLEAM_SECRET)')
    .option('--missing-shard-timeout-ms <ms>', 'a read of a shard that does not exist and that nothing here is about to write fails after this long (NOT_FOUND)', intOption('a positive number of milliseconds', 1), 30000)
    .action((opts: AgentCommandOptions) => runAgent(opts));
}
