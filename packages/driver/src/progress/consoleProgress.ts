// A job's progress on the driver's console (stderr). On a terminal: a live display like Spark's
// console progress bar — one bar per stage with tasks done / running / total, rows read, bytes
// written and elapsed time — redrawn every REFRESH_MS, so rows read by running tasks show before
// the first task finishes. Elsewhere (a file, a pipe, CI logs): one plain line per stage change.
// The terminal drawing is cli-progress's (loaded only for a terminal).
import type { MultiBar, SingleBar } from 'cli-progress';
import type { JobEvent, JobEventListener } from '../job/jobEvents';
import { JobProgress, type StageView } from '../job/jobProgress';
import { formatBytes, formatCount, formatSeconds, stageElapsed, stageLabel } from './progressText';

/** How often the live display is redrawn (the issue asks for at least every 500 ms). */
export const REFRESH_MS = 200;
const MIN_LABEL = 12;
const MAX_LABEL = 40;
const BAR_WIDTH = 12;
/** Room kept for the figures, so that labels keep their width while figures grow. */
const REST_WIDTH = 50;

export interface ConsoleProgressOptions {
  /** Where to write; default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Live display (true) or plain lines (false); default: whether `stream` is a terminal. */
  live?: boolean;
}

/** A listener for job events that shows every job's progress on the console. */
export function consoleProgress(opts: ConsoleProgressOptions = {}): JobEventListener {
  const stream = opts.stream ?? process.stderr;
  const live = opts.live ?? stream.isTTY === true;
  const jobs = new Map<string, JobDisplay>();
  return (e: JobEvent) => {
    let d = jobs.get(e.jobId);
    if (!d) {
      if (e.type !== 'jobStarted') return; // a job that failed before it started has nothing to show
      jobs.set(e.jobId, (d = live ? new LiveDisplay(stream) : new LineDisplay(stream)));
    }
    d.onEvent(e);
    if (e.type === 'jobFinished') jobs.delete(e.jobId);
  };
}

interface JobDisplay {
  onEvent(e: JobEvent): void;
}

function jobLine(p: JobProgress): string {
  const took = formatSeconds(p.finishedMs - p.startedMs);
  const tail = p.error ? `: ${p.error.split('\n')[0]}` : '';
  return `[gleam] job ${p.name} ${p.outcome} in ${took} (${p.tasksDone}/${p.tasksTotal} tasks)${tail}\n`;
}

/** Not a terminal: a line when a stage starts or finishes, and when the job ends. */
class LineDisplay implements JobDisplay {
  private readonly p = new JobProgress();

  constructor(private readonly stream: NodeJS.WritableStream) {}

  onEvent(e: JobEvent): void {
    this.p.apply(e);
    const st = 'stage' in e ? this.p.stages.get(e.stage) : undefined;
    if (e.type === 'stageStarted' && st) {
      this.stream.write(`[gleam] stage ${st.index} ${st.name} started: ${st.tasks} task${st.tasks === 1 ? '' : 's'}\n`);
    } else if (e.type === 'stageFinished' && st) {
      this.stream.write(`[gleam] stage ${st.index} ${st.name} done: ${st.done}/${st.tasks} tasks, ${formatCount(st.rowsIn)} rows in, ${formatCount(st.rowsOut)} rows out, ${formatBytes(st.bytesOut)}, ${formatSeconds(stageElapsed(st, e.timeMs))}\n`);
    } else if (e.type === 'jobFinished') {
      this.stream.write(jobLine(this.p));
    }
  }
}

/** A terminal: one bar per stage of the job, redrawn in place. */
class LiveDisplay implements JobDisplay {
  private readonly p = new JobProgress();
  private multi: MultiBar | undefined;
  private readonly bars = new Map<number, SingleBar>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  onEvent(e: JobEvent): void {
    this.p.apply(e);
    if (e.type === 'jobStarted') this.start();
    else if (e.type === 'jobFinished') this.stop();
  }

  private start(): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MultiBar } = require('cli-progress') as typeof import('cli-progress');
    this.multi = new MultiBar({
      stream: this.stream,
      fps: 1000 / REFRESH_MS,
      // Redraw even when no figure changed: the elapsed times move.
      forceRedraw: true,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: BAR_WIDTH,
      format: (options, params, payload: { stage: StageView; now: number }) => stageBar(payload.stage, payload.now, options.barsize ?? BAR_WIDTH, params.progress, this.stream.columns || 80),
    });
    // Stages run in the driver (sources from memory, sinks) have no tasks to count.
    for (const st of this.p.stages.values()) {
      if (st.driverSide && st.tasks === 0) continue;
      this.bars.set(st.index, this.multi.create(Math.max(1, st.tasks), st.done, { stage: st, now: Date.now() }));
    }
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
    this.timer.unref();
    this.restoreStdout = routeStdoutAbove(this.stream, this.multi);
  }

  private restoreStdout: (() => void) | undefined;

  /** Hands the bars the latest figures (the library redraws at its own pace, fps above). */
  private refresh(): void {
    const now = Date.now();
    for (const [i, bar] of this.bars) {
      const st = this.p.stages.get(i)!;
      bar.update(st.done, { stage: st, now });
    }
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.refresh();
    this.restoreStdout?.();
    // A last redraw: what the script printed meanwhile goes out above the final bars.
    this.multi?.update();
    this.multi?.stop();
    this.stream.write(jobLine(this.p));
  }
}

let stdoutRouted = false;

/**
 * While bars are drawn on a terminal, what the script prints to the same terminal (a printf
 * sink streams rows during the job) goes above the bars, through the library's log, instead of
 * being overwritten by the next redraw. Returns the undo; one display at a time routes it.
 */
function routeStdoutAbove(bars: NodeJS.WriteStream, multi: MultiBar): (() => void) | undefined {
  const out = process.stdout;
  if (stdoutRouted || !out.isTTY || !bars.isTTY) return undefined;
  stdoutRouted = true;
  const original = out.write;
  out.write = function (chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void): boolean {
    const done = typeof encoding === 'function' ? encoding : cb;
    multi.log(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'));
    if (done) process.nextTick(done);
    return true;
  } as typeof out.write;
  return () => {
    out.write = original;
    stdoutRouted = false;
  };
}

/**
 * One stage's line, like Spark's `[Stage 1:=====>   (3 + 2) / 8]`, cut to the terminal's width:
 * `stage 1 FlatMap-Map… [=====>    ] 3+2/8 | 1,200 rows | 3.1 MiB | 2.4s`.
 */
export function stageBar(st: StageView, now: number, barWidth: number, fraction: number, columns: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * barWidth);
  const bar = `${'='.repeat(full)}${full < barWidth && st.running > 0 ? '>' : ''}`.padEnd(barWidth, ' ').slice(0, barWidth);
  const failed = st.state === 'failed' ? ' FAILED' : '';
  const rest = ` [${bar}] ${st.done}+${st.running}/${st.tasks} | ${formatCount(st.rowsIn)} rows | ${formatBytes(st.bytesOut)} | ${formatSeconds(stageElapsed(st, now))}${failed}`;
  return `${stageLabel(st, Math.max(MIN_LABEL, Math.min(MAX_LABEL, columns - 1 - Math.max(rest.length, REST_WIDTH))))}${rest}`;
}
