/**
 * `pipeAsArgs(cmd)`: one `sh -c` run per row with `$1..$n` replaced by the row's fields,
 * shell-quoted (DESIGN.md §5 "Pipe"); each run's stdout lines become rows.
 */
import { PipeError, PipeProcess, shellQuote } from './pipeProcess';
import { formatField } from './tsvLines';

type Row = unknown[];

export interface PipeAsArgsOptions {
  stepName: string;
  onRows: (rows: Row[]) => void | Promise<void>;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kills the running command (the task was cancelled). */
  signal?: AbortSignal;
  /** Bounds on each run of the command (see PipeOptions). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
}

/** Text of 1-based field n, or '' past the end of the row. */
function fieldText(row: Row, n: number): string {
  return n <= row.length ? formatField(row[n - 1]) : '';
}

/** Inside '...' nothing is special but the closing quote: close, emit an escaped quote, reopen. */
function inSingleQuotes(s: string): string {
  return s.replace(/'/g, "'\\''");
}

/** Inside "..." these four keep their meaning unless backslash-escaped. */
function inDoubleQuotes(s: string): string {
  return s.replace(/[\\"$`]/g, '\\$&');
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Replaces `$N` (N >= 1, digits read greedily so `$10` is field 10) with field N taken
 * literally by sh. The quoting follows where `$N` stands: bare -> `'...'`, inside '...' or "..."
 * -> escaped for that context, so `"$1"` and `'x$1'` also pass the field literally. A field past
 * the end of the row is empty. `$$`, `$0`, `$VAR`, `\$1` are left as they are.
 */
export function substituteArgs(command: string, row: Row): string {
  let out = '';
  let state: 'bare' | 'single' | 'double' = 'bare';
  const n = command.length;
  let i = 0;
  while (i < n) {
    const ch = command[i];
    if (ch === '\\' && state !== 'single') {
      // a backslash escapes the next character (so `\$1` stays literal)
      out += command.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (ch === "'" && state !== 'double') {
      state = state === 'single' ? 'bare' : 'single';
      out += ch;
      i++;
      continue;
    }
    if (ch === '"' && state !== 'single') {
      state = state === 'double' ? 'bare' : 'double';
      out += ch;
      i++;
      continue;
    }
    if (ch === '$' && i + 1 < n) {
      const next = command.charCodeAt(i + 1);
      if (next === 36 /* $ */) {
        // `$$` is the shell's pid; keep it whole so `$$1` is not read as `$` + `$1`
        out += '$$';
        i += 2;
        continue;
      }
      if (isDigit(next) && next !== 48 /* 0 */) {
        let j = i + 1;
        while (j < n && isDigit(command.charCodeAt(j))) j++;
        const text = fieldText(row, Number(command.slice(i + 1, j)));
        if (state === 'bare') out += shellQuote(text);
        else if (state === 'single') out += inSingleQuotes(text);
        else out += inDoubleQuotes(text);
        i = j;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * Runs the command once per row, in order, with stdin from /dev/null; stdout lines go to onRows
 * (batched per chunk, with back pressure). Rejects with a PipeError on the first failing run.
 */
export async function runPipeAsArgs(command: string, rows: Row[], opts: PipeAsArgsOptions): Promise<void> {
  for (const row of rows) {
    if (opts.signal?.aborted) throw new PipeError(`step "${opts.stepName}" cancelled`, { stepName: opts.stepName, command, exitCode: null, signal: null, stderr: '' });
    const p = new PipeProcess(substituteArgs(command, row), {
      stepName: opts.stepName,
      onRows: opts.onRows,
      cwd: opts.cwd,
      env: opts.env,
      stdin: 'ignore',
      timeoutMs: opts.timeoutMs,
      idleTimeoutMs: opts.idleTimeoutMs,
    });
    const kill = () => p.kill();
    opts.signal?.addEventListener('abort', kill, { once: true });
    try {
      await p.end();
    } finally {
      opts.signal?.removeEventListener('abort', kill);
    }
  }
}
