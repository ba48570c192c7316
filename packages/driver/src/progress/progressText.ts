// How progress figures read on a console: counts with thousands separators, bytes in binary
// units, times in seconds. Shared by the live display and the plain lines.
export { formatBytes } from '@gleam/proto';
import type { StageView } from '../job/jobProgress';

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function formatSeconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/** A stage's label: its index and step names, cut to `width` characters. */
export function stageLabel(st: StageView, width: number): string {
  const label = `stage ${st.index} ${st.name}`;
  return label.length > width ? `${label.slice(0, width - 1)}…` : label.padEnd(width);
}

/** Elapsed time of a stage: until it finished, or until now while it runs. */
export function stageElapsed(st: StageView, now: number): number {
  if (!st.startedMs) return 0;
  return (st.finishedMs || now) - st.startedMs;
}
