// Figures as people read them, shared by the status page and `gleam status`.

export { formatBytes } from '@gleam/proto';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

/**
 * A short span with the precision micro-batches need (batch intervals, delays and processing
 * times are often under a second, which formatDuration would show as 0s).
 */
export function formatMillis(ms: number): string {
  const v = Math.max(0, Math.round(Number(ms) || 0));
  if (v < 1000) return `${v} ms`;
  if (v < 60000) return `${(v / 1000).toFixed(1)} s`;
  return formatDuration(v);
}

/** UTC, to the second ("2024-05-01 12:00:03Z"); '' for 0 (unknown). */
export function formatTime(ms: number): string {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}
