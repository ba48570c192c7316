// How the long-running commands (master, agent, serve) end: on SIGINT or SIGTERM they log,
// run their stop, and exit 0 (1 when stopping failed). A second signal while stopping is ignored:
// the stop already under way ends everything.
import type { Logger } from 'pino';

export function stopOnSignals(logger: Logger, stop: () => Promise<void>, fields: Record<string, unknown> = {}): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, ...fields }, 'stopping');
    stop().then(
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
