// `gleam run script.ts` / `gleam plan script.ts`: run a driver script in this process with
// the options passed through the environment the DSL reads (GLEAM_MASTER, GLEAM_PLAN, ...).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSecret, warnOnStderr } from './secretOption';

export interface ScriptOptions {
  master?: string;
  executors?: string;
  partitions?: string;
  secret?: string;
  secretFile?: string;
  /** CA file the driver trusts (GLEAM_TLS_CA for the script). */
  tlsCa?: string;
  plan?: boolean;
  progress?: boolean;
  /** No progress display (GLEAM_PROGRESS=0 for the script). */
  quiet?: boolean;
}

export function runScript(script: string, args: string[], opts: ScriptOptions): void {
  const file = path.resolve(script);
  if (!fs.existsSync(file)) {
    process.stderr.write(`gleam: script not found: ${script}\n`);
    process.exit(2);
  }
  if (opts.master) process.env.GLEAM_MASTER = opts.master;
  if (opts.executors) process.env.GLEAM_EXECUTORS = opts.executors;
  if (opts.partitions) process.env.GLEAM_PARTITIONS = opts.partitions;
  if (opts.secret !== undefined || opts.secretFile !== undefined) {
    try {
      process.env.GLEAM_SECRET = resolveSecret(opts, warnOnStderr) ?? '';
    } catch (e) {
      process.stderr.write(`gleam: ${(e as Error).message}\n`);
      process.exit(2);
    }
  }
  if (opts.tlsCa) process.env.GLEAM_TLS_CA = path.resolve(opts.tlsCa);
  if (opts.plan) process.env.GLEAM_PLAN = '1';
  if (opts.progress) process.env.GLEAM_PROGRESS = '1';
  if (opts.quiet) process.env.GLEAM_PROGRESS = '0';
  if (/\.(c|m)?tsx?$/.test(file)) {
    // Type errors must not stop a run: compile only, like `ts-node --transpile-only`.
    require('ts-node').register({
      transpileOnly: true,
      compilerOptions: { module: 'commonjs', target: 'es2022', esModuleInterop: true },
    });
  }
  process.argv = [process.argv[0], file, ...args];
  require(file);
}
