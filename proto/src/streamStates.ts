// The states of a stream (micro-batches) as drivers report them and the master shows them,
// shared by master, drivers and the CLI.

/** What a driver reports: the stream runs, was stopped, or failed. */
export type StreamState = 'running' | 'stopped' | 'failed';

/** What the master shows: a reported state, or "lost" when a running stream's reports stopped. */
export type StreamShownState = StreamState | 'lost';

export const STREAM_STATES: readonly StreamState[] = ['running', 'stopped', 'failed'];

export function isStreamState(state: string): state is StreamState {
  return (STREAM_STATES as readonly string[]).includes(state);
}
