/**
 * Streams rows through a Unix command (`sh -c CMD`, DESIGN.md §5 "Pipe"): rows go in as TSV
 * lines on stdin, stdout lines come back as rows of string fields, with back pressure both ways.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';
import { ensureReaper, forgetGroup, watchGroup } from './reaper';
import { LineSplitter, rowsToTsv } from './tsvLines';

type Row = unknown[];

export interface PipeOptions {
  /** Named in every error message, e.g. "pipe#3". */
  stepName: string;
  /** Receives all complete lines of one stdout chunk; a returned promise pauses stdout until it settles. */
  onRows: (rows: Row[]) => void | Promise<void>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** 'ignore' connects stdin to /dev/null (pipeAsArgs); write() then drops its rows. Default 'pipe'. */
  stdin?: 'pipe' | 'ignore';
  /** Bound on the command's whole run, in ms (default: none). */
  timeoutMs?: number;
  /**
   * Bound on how long the command may go without reading input or writing output while it owes
   * either (its stdin is full or closed), in ms. Default GLEAM_PIPE_IDLE_MS, else 600000.
   */
  idleTimeoutMs?: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The idle bound when a step sets none: GLEAM_PIPE_IDLE_MS, else ten minutes. */
export const DEFAULT_PIPE_IDLE_MS = 600_000;

export function defaultIdleMs(): number {
  const env = Number(process.env.GLEAM_PIPE_IDLE_MS);
  return env > 0 ? env : DEFAULT_PIPE_IDLE_MS;
}

/** How much of stderr an error message carries. */
const STDERR_TAIL = 2048;
/** After SIGTERM, how long a cancelled command gets before SIGKILL. */
const KILL_GRACE_MS = 2000;

/** POSIX single-quote quoting: the text is taken literally by sh. */
export function shellQuote(s: string): string {
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

function tailOf(stderr: string): string {
  const t = stderr.trim();
  return t.length > STDERR_TAIL ? '...' + t.slice(t.length - STDERR_TAIL) : t;
}

export interface PipeErrorInfo {
  stepName: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  stderr: string;
}

/** A pipe command that could not start, failed, or was cancelled; the message names the step. */
export class PipeError extends Error {
  stepName: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  stderr: string;

  constructor(message: string, info: PipeErrorInfo, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PipeError';
    this.stepName = info.stepName;
    this.command = info.command;
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.stderr = info.stderr;
  }

  /** The error for a command that ended with a non-zero code or by a signal. */
  static forExit(stepName: string, command: string, exitCode: number | null, signal: string | null, stderr: string): PipeError {
    const tail = tailOf(stderr);
    let what: string;
    if (exitCode === 127) what = `command not found: sh -c ${shellQuote(command)}`;
    else if (exitCode === 126) what = `command not executable: sh -c ${shellQuote(command)}`;
    else if (signal !== null) what = `command ${shellQuote(command)} was killed by signal ${signal}`;
    else what = `command ${shellQuote(command)} exited with code ${exitCode}`;
    const message = `step "${stepName}" failed: ${what}` + (tail ? `: ${tail}` : '');
    return new PipeError(message, { stepName, command, exitCode, signal, stderr: tail });
  }

  /** The error for a command that could not be started at all (no sh, bad cwd, too many processes). */
  static forSpawn(stepName: string, command: string, err: Error, cwd?: string): PipeError {
    const where = cwd !== undefined ? ` in ${cwd}` : '';
    const message = `step "${stepName}" failed: cannot start sh -c ${shellQuote(command)}${where}: ${err.message}`;
    return new PipeError(message, { stepName, command, exitCode: null, signal: null, stderr: '' }, { cause: err });
  }
}

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class PipeProcess {
  private readonly child: ChildProcess;
  private readonly stdinStream: Writable | null;
  private readonly stdoutStream: Readable;
  private readonly onRows: (rows: Row[]) => void | Promise<void>;
  private readonly stepName: string;
  private readonly command: string;
  private readonly cwd: string | undefined;

  private readonly outDecoder = new StringDecoder('utf8');
  private readonly errDecoder = new StringDecoder('utf8');
  private readonly splitter = new LineSplitter();
  private stderr = '';

  /** Row batches read from stdout but not yet handed to onRows (normally 0 or 1 long). */
  private readonly queue: Row[][] = [];
  /** An onRows promise is pending: stdout stays paused until it settles. */
  private busy = false;
  private pausedByUs = false;

  /** The command no longer takes input (exited, closed stdin, EPIPE, or we ended it). */
  private inputClosed = false;
  private drainWaiters: Waiter[] = [];

  private spawned = false;
  private closed = false;
  private exitCode: number | null = null;
  private exitSignal: string | null = null;
  /** A terminal error known before the process closed: onRows failure, spawn error, or kill(). */
  private failure: unknown = undefined;
  private killTimer: NodeJS.Timeout | null = null;

  private readonly idleMs: number;
  /** When the command last read input or wrote output, or last began to owe either. */
  private lastActivity = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  private runTimer: NodeJS.Timeout | null = null;

  private settled = false;
  private resolveDone!: () => void;
  private rejectDone!: (e: unknown) => void;
  private readonly done: Promise<void>;

  constructor(command: string, opts: PipeOptions) {
    this.command = command;
    this.stepName = opts.stepName;
    this.onRows = opts.onRows;
    this.cwd = opts.cwd;
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    // end() returns this promise; the no-op handler keeps an un-awaited failure from crashing the process
    this.done.catch(() => {});

    // The reaper is up before the command exists: between the spawn and its registration there
    // is then only one pipe write, not the start of a process.
    ensureReaper();
    try {
      // detached: the command gets its own process group, so kill() reaches every process of a pipeline
      this.child = spawn('sh', ['-c', command], {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        stdio: [opts.stdin === 'ignore' ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (e) {
      // synchronous spawn failures (bad options, EAGAIN) get the same step-naming message
      throw PipeError.forSpawn(this.stepName, command, e instanceof Error ? e : new Error(String(e)), opts.cwd);
    }
    this.stdinStream = this.child.stdin;
    this.stdoutStream = this.child.stdout!;
    if (this.stdinStream === null) this.inputClosed = true;
    const pgid = this.child.pid;
    if (pgid !== undefined) watchGroup(pgid);

    this.idleMs = opts.idleTimeoutMs ?? defaultIdleMs();
    // (beyond setTimeout's 2^31-1 ms, about 25 days, a bound is no bound)
    if (opts.timeoutMs !== undefined && opts.timeoutMs <= MAX_TIMER_MS) {
      const ms = opts.timeoutMs;
      this.runTimer = setTimeout(() => this.expire(`ran longer than its timeoutMs (${ms} ms)`), ms);
      this.runTimer.unref();
    }
    if (this.idleMs <= MAX_TIMER_MS) this.scheduleIdleCheck(this.idleMs);

    this.child.on('spawn', () => {
      this.spawned = true;
    });
    this.child.on('error', (err) => this.onChildError(err));
    this.child.on('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      // nobody reads stdin any more: a write waiting for 'drain' would wait forever
      this.closeInput();
    });
    this.child.on('close', (code, signal) => {
      if (this.exitCode === null && this.exitSignal === null) {
        this.exitCode = code;
        this.exitSignal = signal;
      }
      this.closed = true;
      if (pgid !== undefined) forgetGroup(pgid);
      this.clearKillTimer();
      this.clearBounds();
      this.closeInput();
      this.checkDone();
    });

    if (this.stdinStream !== null) {
      const stdin = this.stdinStream;
      // EPIPE when the command stops reading early (head -1): not an error, further input is dropped
      stdin.on('error', () => this.closeInput());
      stdin.on('close', () => this.closeInput());
      stdin.on('drain', () => {
        this.lastActivity = Date.now();
        this.settleWaiters();
      });
    }

    this.stdoutStream.on('data', (buf: Buffer) => {
      this.lastActivity = Date.now();
      if (this.failure !== undefined) return; // failed or cancelled: discard, only let the streams close
      const rows = this.splitter.push(this.outDecoder.write(buf));
      if (rows.length > 0) this.deliver(rows);
    });
    this.stdoutStream.on('end', () => {
      if (this.failure !== undefined) return;
      const rest = this.splitter.push(this.outDecoder.end());
      const last = this.splitter.end();
      const rows = last.length === 0 ? rest : rest.concat(last);
      if (rows.length > 0) this.deliver(rows);
    });
    this.stdoutStream.on('error', () => {
      // a stdout read error ends the stream; the exit status (or close) decides the outcome
    });

    this.child.stderr!.on('data', (buf: Buffer) => {
      this.lastActivity = Date.now();
      this.stderr += this.errDecoder.write(buf);
      // keep a bounded tail: a chatty command must not grow memory without limit
      if (this.stderr.length > 4 * STDERR_TAIL) this.stderr = this.stderr.slice(-2 * STDERR_TAIL);
    });
    this.child.stderr!.on('end', () => {
      this.stderr += this.errDecoder.end();
    });
    this.child.stderr!.on('error', () => {});
  }

  /** Rows -> TSV -> stdin. Returns a promise when stdin's buffer is full (resolved on 'drain'). */
  write(rows: Row[]): void | Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.inputClosed || rows.length === 0) return;
    const stdin = this.stdinStream!;
    if (stdin.destroyed || stdin.writableEnded) {
      this.closeInput();
      return;
    }
    const text = rowsToTsv(rows);
    if (text.length === 0) return;
    if (stdin.write(text)) return;
    // From now on the command owes us progress: reading what is buffered.
    this.lastActivity = Date.now();
    return new Promise<void>((resolve, reject) => {
      this.drainWaiters.push({ resolve, reject });
    });
  }

  /** Close stdin, then wait for stdout's end, the exit, and every onRows call; reject on failure. */
  end(): Promise<void> {
    // From now on the command owes us progress: its output, or its exit.
    if (!this.inputClosed) this.lastActivity = Date.now();
    const stdin = this.stdinStream;
    if (stdin !== null && !stdin.destroyed && !stdin.writableEnded) {
      // input no longer wanted: drop what is buffered rather than wait on a reader that is gone
      if (this.inputClosed) stdin.destroy();
      else stdin.end();
    }
    this.inputClosed = true;
    return this.done;
  }

  /** Cancel: stop the command's whole process group; end() rejects with a "cancelled" PipeError. */
  kill(): void {
    if (this.settled || this.closed) return;
    if (this.failure === undefined) {
      this.failure = new PipeError(
        `step "${this.stepName}" cancelled: command ${shellQuote(this.command)} was killed`,
        { stepName: this.stepName, command: this.command, exitCode: null, signal: 'SIGTERM', stderr: tailOf(this.stderr) },
      );
    }
    this.terminate();
  }

  // ---- internals ----

  /**
   * The idle clock runs only while the command owes progress (a write waits for it to read, or
   * its input is closed) and we are not the ones holding its output back (onRows pending).
   */
  private scheduleIdleCheck(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.closed || this.settled) return;
      const owing = !this.busy && (this.inputClosed || this.drainWaiters.length > 0);
      if (!owing) this.lastActivity = Date.now();
      const idleFor = Date.now() - this.lastActivity;
      if (owing && idleFor >= this.idleMs) {
        this.expire(`neither read input nor wrote output for ${this.idleMs} ms (idleTimeoutMs; the default is GLEAM_PIPE_IDLE_MS or 600000)`);
      } else this.scheduleIdleCheck(this.idleMs - idleFor);
    }, ms);
    this.idleTimer.unref();
  }

  /** A bound expired: the step fails naming the command and the bound; the group is killed. */
  private expire(what: string): void {
    if (this.closed || this.settled || this.failure !== undefined) return;
    const tail = tailOf(this.stderr);
    this.failure = new PipeError(
      `step "${this.stepName}" failed: command ${shellQuote(this.command)} ${what}, and was killed` + (tail ? `: ${tail}` : ''),
      { stepName: this.stepName, command: this.command, exitCode: null, signal: 'SIGTERM', stderr: tail },
    );
    this.terminate();
  }

  private clearBounds(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    if (this.runTimer !== null) clearTimeout(this.runTimer);
    this.idleTimer = this.runTimer = null;
  }

  private terminate(): void {
    this.rejectWaiters(this.failure);
    this.inputClosed = true;
    this.stdinStream?.destroy();
    // keep stdout flowing so the pipe empties and 'close' can arrive
    this.queue.length = 0;
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.stdoutStream.resume();
    }
    this.signalGroup('SIGTERM');
    if (this.killTimer === null && !this.closed) {
      this.killTimer = setTimeout(() => this.signalGroup('SIGKILL'), KILL_GRACE_MS);
      this.killTimer.unref();
    }
    this.checkDone();
  }

  private signalGroup(sig: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.closed) return;
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        this.child.kill(sig);
      } catch {
        // already gone
      }
    }
  }

  private clearKillTimer(): void {
    if (this.killTimer !== null) {
      clearTimeout(this.killTimer);
      this.killTimer = null;
    }
  }

  private onChildError(err: Error): void {
    if (this.spawned || this.child.pid !== undefined) {
      // errors after a successful spawn (e.g. a failed kill) do not decide the outcome; the exit does
      return;
    }
    if (this.failure === undefined) this.failure = PipeError.forSpawn(this.stepName, this.command, err, this.cwd);
    this.rejectWaiters(this.failure);
    this.inputClosed = true;
    this.clearBounds();
    // no process ever existed, so no 'close' may come: finish now
    this.closed = true;
    this.checkDone();
  }

  private deliver(rows: Row[]): void {
    this.queue.push(rows);
    if (!this.busy) this.runQueue();
  }

  /** Hands queued batches to onRows in order; an async onRows pauses stdout until it settles. */
  private runQueue(): void {
    while (this.queue.length > 0 && this.failure === undefined) {
      const rows = this.queue.shift()!;
      let r: PromiseLike<void> | undefined;
      try {
        r = this.onRows(rows) as unknown as PromiseLike<void> | undefined;
      } catch (e) {
        this.fail(e);
        return;
      }
      if (r != null && typeof r.then === 'function') {
        this.busy = true;
        if (!this.pausedByUs) {
          this.pausedByUs = true;
          this.stdoutStream.pause();
        }
        r.then(
          () => {
            this.busy = false;
            this.runQueue();
          },
          (e: unknown) => {
            this.busy = false;
            this.fail(e);
          },
        );
        return;
      }
    }
    if (this.pausedByUs) {
      this.pausedByUs = false;
      this.stdoutStream.resume();
    }
    this.checkDone();
  }

  /** onRows failed: that error is the outcome; stop the command. */
  private fail(e: unknown): void {
    if (this.failure === undefined) this.failure = e;
    this.terminate();
  }

  private closeInput(): void {
    this.inputClosed = true;
    this.settleWaiters();
  }

  private settleWaiters(): void {
    if (this.drainWaiters.length === 0) return;
    const ws = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of ws) w.resolve();
  }

  private rejectWaiters(e: unknown): void {
    if (this.drainWaiters.length === 0) return;
    const ws = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of ws) w.reject(e);
  }

  private checkDone(): void {
    if (this.settled || !this.closed) return;
    if (this.failure !== undefined) {
      this.settled = true;
      this.rejectDone(this.failure);
      return;
    }
    if (this.busy || this.queue.length > 0) return; // onRows still running: wait for it
    this.settled = true;
    if (this.exitCode === 0 && this.exitSignal === null) {
      this.resolveDone();
    } else {
      const err = PipeError.forExit(this.stepName, this.command, this.exitCode, this.exitSignal, this.stderr);
      // later writes fail fast with the same error
      this.failure = err;
      this.rejectDone(err);
    }
  }
}
