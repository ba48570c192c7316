// What every `gleam` command shares: -V/--version and -h/--help on the program and on each
// subcommand (so `gleam agent -V` answers like `gleam -V`), and the --log-level option of the
// long-running commands.
import { Command, Option } from 'commander';

const pkg = require('../package.json') as { version: string };

export const VERSION_FLAGS = '-V, --version';

/** The version line: the CLI's version and the Node.js that runs it. */
export function versionText(): string {
  return `gleam ${pkg.version} (node ${process.version})`;
}

/** Gives every subcommand (added so far) the program's version flag and the help flag. */
export function applyConventions(program: Command): Command {
  for (const cmd of program.commands) {
    cmd.version(versionText(), VERSION_FLAGS, 'print the version and exit');
    cmd.helpOption('-h, --help', 'print this help and exit');
  }
  return program;
}

/** pino's levels, quietest last. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** --log-level of a long-running command; GLEAM_LOG_LEVEL when not given, then info. */
export function logLevelOption(): Option {
  return new Option('--log-level <level>', 'log level (default: GLEAM_LOG_LEVEL, then info)').choices(LOG_LEVELS);
}
