// The master's book of streams, driven with explicit clocks: latest report wins, silence makes a
// running stream lost, ended streams are kept 10 minutes and at most 100 of them.
import type { StreamReport__Output } from '@gleam/proto';
import { StreamBook } from '../src/streamBook';

function report(streamId: string, extra: Partial<StreamReport__Output> = {}): StreamReport__Output {
  return { streamId, name: `name-${streamId}`, driver: 'host:1', batchMs: 1000, state: 'running', startedMs: 1, batches: 0, recordsTotal: 0, bufferedRecords: 0, lastBatch: null, error: '', ...extra };
}

const T0 = 1_000_000;

test('the latest report of a stream replaces the one before and is shown with the time it came', () => {
  const book = new StreamBook();
  expect(book.report(report('s1', { batches: 1 }), T0)).toBe('');
  const lastBatch = { timeMs: T0, records: 7, schedulingDelayMs: 3, processingMs: 40, totalDelayMs: 43 };
  expect(book.report(report('s1', { batches: 2, recordsTotal: 9, lastBatch }), T0 + 1000)).toBe('running');
  expect(book.list(T0 + 1500)).toEqual([{ report: report('s1', { batches: 2, recordsTotal: 9, lastBatch }), lastReportMs: T0 + 1000, state: 'running' }]);
});

test('a running stream silent for max(30 s, 5 batch intervals) is lost, once; a report brings it back', () => {
  const book = new StreamBook();
  book.report(report('fast', { batchMs: 500 }), T0);
  book.report(report('slow', { batchMs: 10_000 }), T0);
  const states = (now: number) => Object.fromEntries(book.list(now).map((s) => [s.report!.streamId, s.state]));
  expect(states(T0 + 30_000)).toEqual({ fast: 'running', slow: 'running' });
  expect(states(T0 + 30_001)).toEqual({ fast: 'lost', slow: 'running' });
  expect(states(T0 + 50_001)).toEqual({ fast: 'lost', slow: 'lost' });
  expect(book.sweep(T0 + 30_001).map((s) => s.report!.streamId)).toEqual(['fast']);
  expect(book.sweep(T0 + 30_002)).toEqual([]);
  expect(book.report(report('fast', { batchMs: 500 }), T0 + 40_000)).toBe('lost');
  expect(states(T0 + 40_001).fast).toBe('running');
});

test('the bound is injectable', () => {
  const book = new StreamBook({ lostAfterMs: 200 });
  book.report(report('s', { batchMs: 20 }), T0);
  expect(book.list(T0 + 200)[0].state).toBe('running');
  expect(book.list(T0 + 201)[0].state).toBe('lost');
  expect(book.lostAfterMs(100)).toBe(500);
});

test('stopped, failed and lost streams are forgotten 10 minutes after they ended', () => {
  const book = new StreamBook();
  book.report(report('stopped', { state: 'stopped' }), T0);
  book.report(report('failed', { state: 'failed', error: 'boom' }), T0);
  book.report(report('lost'), T0);
  book.report(report('running'), T0);
  const ids = (now: number) => book.list(now).map((s) => s.report!.streamId);
  book.report(report('running'), T0 + 600_000);
  expect(ids(T0 + 600_000)).toEqual(['running', 'lost', 'stopped', 'failed']);
  // The lost stream ended when it became lost (30 s after its last report), so it stays longer.
  expect(ids(T0 + 600_001)).toEqual(['running', 'lost']);
  book.report(report('running'), T0 + 630_000);
  expect(ids(T0 + 630_001)).toEqual(['running']);
});

test('at most 100 ended streams are kept, the oldest forgotten first; running ones are never dropped', () => {
  const book = new StreamBook();
  for (let i = 0; i < 105; i++) book.report(report(`done-${i}`, { state: i % 2 ? 'stopped' : 'failed' }), T0 + i);
  for (let i = 0; i < 3; i++) book.report(report(`live-${i}`, { startedMs: 10 - i }), T0 + 200);
  const listed = book.list(T0 + 300).map((s) => s.report!.streamId);
  expect(listed).toHaveLength(103);
  expect(listed.slice(0, 4)).toEqual(['live-2', 'live-1', 'live-0', 'done-104']);
  expect(listed[listed.length - 1]).toBe('done-5');
});

test('a report without a state counts as running', () => {
  const book = new StreamBook();
  book.report(report('s', { state: '' }), T0);
  expect(book.list(T0)[0]).toMatchObject({ state: 'running', report: { state: 'running' } });
});
