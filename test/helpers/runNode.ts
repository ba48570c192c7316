// Runs a command as a child process with a hard timeout, capturing stdout and stderr.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? repoRoot, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${opts.timeoutMs ?? 60000} ms: ${cmd} ${args.join(' ')}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // A command that exits without reading its stdin (echo) makes this write fail with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** `gleam` as users run it from the repository root. */
export function gleam(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, [path.join(repoRoot, 'packages', 'cli', 'bin', 'gleam.js'), ...args], opts);
}

/** `npx ts-node script` as users run it from the repository root. */
export function tsNode(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(process.execPath, [path.join(repoRoot, 'node_modules', 'ts-node', 'dist', 'bin.js'), ...args], opts);
}

/** Runs a shell pipeline (for Unix-tool baselines). */
export function sh(script: string, opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return run('sh', ['-c', script], { ...opts, env: { LC_ALL: 'C' } });
}
