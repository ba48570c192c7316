// One pino logger factory for the long-running CLI commands: JSON lines on stderr (for log
// collectors), or pino-pretty when a person watches stderr. Level from GLEAM_LOG_LEVEL.
import pino, { type Logger } from 'pino';

export function createLogger(opts: { name?: string; level?: string; pretty?: boolean } = {}): Logger {
  const options = { name: opts.name, level: opts.level ?? process.env.GLEAM_LOG_LEVEL ?? 'info' };
  if (opts.pretty ?? process.stderr.isTTY === true) {
    // Loaded only for a terminal; in-process and synchronous (no worker thread: small and no lost lines at exit).
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pino(options, pretty({ destination: 2, sync: true, colorize: true, ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}
