// Where a command gets the cluster secret: --secret-file FILE, else --secret (still accepted,
// with a warning: every user of the machine sees argv in `ps`), else GLEAM_SECRET.
import * as fs from 'node:fs';
import { Option } from 'commander';

export interface SecretFlags {
  secret?: string;
  secretFile?: string;
}

export const SECRET_ON_ARGV_WARNING =
  '--secret is visible to every user of this machine in the process list (ps, /proc): set GLEAM_SECRET or pass --secret-file FILE instead';

/** The secret in a file: its content, less one final newline (as `echo` or an editor leave it). */
export function readSecretFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`--secret-file: cannot read ${file}: ${(e as Error).message}`);
  }
  const secret = text.replace(/\r?\n$/, '');
  if (!secret) throw new Error(`--secret-file: ${file} is empty: put the cluster secret in it`);
  return secret;
}

/**
 * The secret of a command, or undefined for a cluster without one. `warn` is told when it came
 * from argv; a file and argv together are refused (which one was meant?).
 */
export function resolveSecret(flags: SecretFlags, warn: (message: string) => void, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flags.secretFile !== undefined && flags.secret !== undefined) throw new Error('give the secret once: --secret-file or --secret, not both');
  if (flags.secretFile !== undefined) return readSecretFile(flags.secretFile);
  if (flags.secret !== undefined && flags.secret !== '') {
    warn(SECRET_ON_ARGV_WARNING);
    return flags.secret;
  }
  return env.GLEAM_SECRET || undefined;
}

/** Warnings of the client commands (status, jobs, cancel, run) go to stderr, one line each. */
export function warnOnStderr(message: string): void {
  process.stderr.write(`gleam: warning: ${message}\n`);
}

/** The two secret options every command that talks to a cluster takes. */
export function secretOptions(): Option[] {
  return [
    new Option('--secret-file <file>', 'file holding the shared secret of the cluster (a final newline is dropped); or set GLEAM_SECRET'),
    new Option('--secret <secret>', 'the shared secret on the command line (deprecated: visible in the process list; use GLEAM_SECRET or --secret-file)'),
  ];
}
