// The `gleam` binary: thin wiring of commander onto the packages.
import { Command } from 'commander';
import { runScript } from './runScript';
import { masterCommand } from './commands/master';
import { statusCommand } from './commands/status';
import { agentCommand } from './commands/agent';
import { cancelCommand } from './commands/cancel';
import { jobsCommand } from './commands/jobs';
import { secretOptions } from './secretOption';
import { clientTlsOption } from './tlsOptions';

const pkg = require('../package.json') as { version: string };

const program = new Command();
program
  .name('gleam')
  .description('Gleam for TypeScript: distributed data flows on Node.js')
  .version(`gleam ${pkg.version} (node ${process.version})`, '-v, --version');

const runCommand = program
  .command('run')
  .description('run a driver script (TypeScript or JavaScript); on a TLS cluster pass --tls-ca or set GLEAM_TLS_CA')
  .argument('<script>', 'driver script, e.g. examples/wordcount.ts')
  .argument('[args...]', 'arguments passed to the script')
  .option('--master <host:port>', 'run on the cluster of this master')
  .option('--executors <n>', 'executor threads in local mode')
  .option('--partitions <n>', 'default partitions of shuffles and driver sources')
  .option('--progress', 'show progress on stderr even when it is not a terminal (a line per stage change)')
  .option('-q, --quiet', 'no progress display (on a terminal it is on by default)');
for (const o of [...secretOptions(), clientTlsOption()]) runCommand.addOption(o);
runCommand.action((script: string, args: string[], opts) => runScript(script, args, opts));

program
  .command('plan')
  .description('print the plan of a driver script and run nothing')
  .argument('<script>', 'driver script')
  .argument('[args...]', 'arguments passed to the script')
  .option('--executors <n>', 'executor slots assumed by the plan')
  .option('--partitions <n>', 'default partitions of shuffles and driver sources')
  .action((script: string, args: string[], opts) => runScript(script, args, { ...opts, plan: true }));

program.addCommand(masterCommand());
program.addCommand(statusCommand());
program.addCommand(agentCommand());
program.addCommand(jobsCommand());
program.addCommand(cancelCommand());

program.parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`gleam: ${e.message}\n`);
  process.exit(1);
});
