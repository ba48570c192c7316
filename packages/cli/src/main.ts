// The `gleam` binary: thin wiring of commander onto the packages.
import { Command } from 'commander';
import { runScript } from './runScript';
import { masterCommand } from './commands/master';
import { statusCommand } from './commands/status';
import { agentCommand } from './commands/agent';
import { cancelCommand } from './commands/cancel';
import { jobsCommand } from './commands/jobs';
import { logsCommand } from './commands/logs';
import { applyConventions, VERSION_FLAGS, versionText } from './conventions';
import { serveCommand } from './commands/serve';
import { queryCommand } from './commands/query';
import { secretOptions } from './secretOption';
import { clientTlsOption } from './tlsOptions';

const program = new Command();
program
  .name('gleam')
  .description('Gleam for TypeScript: distributed data flows on Node.js')
  .version(versionText(), VERSION_FLAGS, 'print the version and exit')
  .helpOption('-h, --help', 'print this help and exit');

const runCommand = program
  .command('run')
  .description('run a driver script (TypeScript or JavaScript); on a TLS cluster pass --tls-ca or set GLEAM_TLS_CA')
  .argument('<script>', 'driver script, e.g. examples/wordcount.ts')
  .argument('[args...]', "the script's own arguments and flags (passed through; after -- even gleam's flags are)")
  // The script's own flags pass through without `--`; gleam's flags are still taken anywhere.
  .allowUnknownOption()
  .option('--master <host:port>', 'run on the cluster of this master (default: GLEAM_MASTER, else in this process)')
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
  .argument('[args...]', "the script's own arguments and flags (passed through)")
  .allowUnknownOption()
  .option('--executors <n>', 'executor slots assumed by the plan')
  .option('--partitions <n>', 'default partitions of shuffles and driver sources')
  .action((script: string, args: string[], opts) => runScript(script, args, { ...opts, plan: true }));

program.addCommand(masterCommand());
program.addCommand(statusCommand());
program.addCommand(agentCommand());
program.addCommand(jobsCommand());
program.addCommand(cancelCommand());
program.addCommand(logsCommand());
program.addCommand(serveCommand());
program.addCommand(queryCommand());

applyConventions(program)
  .parseAsync(process.argv).catch((e: Error) => {
  process.stderr.write(`gleam: ${e.message}\n`);
  process.exit(1);
});
