// TsvShardOutput: a task's rows as TSV text frames, for a text-file sink.
import { rowsToTsv } from '../src/pipe/tsvLines';
import { TsvShardOutput } from '../src/task/outputs';
import type { TaskIO } from '../src/task/taskIO';

test('rows become UTF-8 TSV frames of about the target size; their bytes concatenate to rowsToTsv of all rows', async () => {
  const frames: Uint8Array[] = [];
  const io = { write: (shard: string, f: Uint8Array) => void (shard === 's' && frames.push(f)), read: () => { throw new Error('no reads'); }, closeShard: () => undefined } as unknown as TaskIO;
  const out = new TsvShardOutput('s', io, 40);
  const rows: unknown[][] = [];
  for (let i = 0; i < 50; i++) rows.push(i % 7 === 0 ? [`é${i}`, null, 1n] : [`w${i}`, i]);
  for (const r of rows) out.push(r);
  await out.end();
  expect(frames.length).toBeGreaterThan(5);
  // Every frame owns its buffer exactly, so it can be transferred to another thread.
  for (const f of frames) expect(f.byteLength).toBe(f.buffer.byteLength);
  const text = Buffer.concat(frames).toString('utf8');
  expect(text).toBe(rowsToTsv(rows));
  expect(out.counters).toEqual({ rowsOut: 50, framesOut: frames.length, bytesOut: Buffer.byteLength(text) });
});
