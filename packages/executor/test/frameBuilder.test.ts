import { FrameBuilder } from '../src/codec/frameBuilder';
import { decodeRows, Row } from '../src/codec/rowCodec';

function collect(targetBytes?: number) {
  const frames: { frame: Uint8Array; rowCount: number }[] = [];
  const fb = new FrameBuilder((frame, rowCount) => frames.push({ frame, rowCount }), targetBytes === undefined ? undefined : { targetBytes });
  const rows = (): Row[] => frames.flatMap((f) => decodeRows(f.frame));
  return { fb, frames, rows };
}

const wordRow = (i: number): Row => [`w${i % 1000}`, i];
// Same encoded size for every i, so frame sizes can be checked tightly.
const fixedWordRow = (i: number): Row => [`w${100 + (i % 900)}`, 1000 + (i % 9000)];
const payloadRow = (i: number): Row => [`key-${i}`, 'x'.repeat(90)];

describe('FrameBuilder', () => {
  test('first frame holds the initial 256-row estimate', () => {
    const { fb, frames } = collect();
    expect(fb.rowsPerFrame).toBe(256);
    for (let i = 0; i < 255; i++) fb.add(wordRow(i));
    expect(frames.length).toBe(0);
    expect(fb.pendingCount).toBe(255);
    fb.add(wordRow(255));
    expect(frames.length).toBe(1);
    expect(frames[0].rowCount).toBe(256);
    expect(fb.pendingCount).toBe(0);
  });

  test('every row arrives once, in order; rowCount matches the frame', () => {
    const { fb, frames, rows } = collect();
    const input = Array.from({ length: 50_000 }, (_, i) => wordRow(i));
    for (const r of input) fb.add(r);
    fb.flush();
    expect(rows()).toEqual(input);
    for (const f of frames) expect(decodeRows(f.frame).length).toBe(f.rowCount);
  });

  test('flush emits the remainder only when rows are pending', () => {
    const { fb, frames } = collect();
    fb.flush();
    expect(frames.length).toBe(0);
    fb.add(['a']);
    fb.flush();
    fb.flush();
    expect(frames.map((f) => f.rowCount)).toEqual([1]);
  });

  test('adapts rows-per-frame to the measured row size and hits the byte target', () => {
    for (const [make, target] of [[fixedWordRow, 64 * 1024], [payloadRow, 256 * 1024], [payloadRow, 128 * 1024]] as const) {
      const { fb, frames } = collect(target);
      for (let i = 0; i < 200_000; i++) fb.add(make(i));
      const last = frames[frames.length - 1];
      expect(fb.rowsPerFrame).toBe(Math.floor(target / (last.frame.length / last.rowCount)));
      // After the first (fixed 256-row) frame, frames land on target.
      for (const f of frames.slice(1)) {
        expect(f.frame.length).toBeGreaterThan(target * 0.9);
        expect(f.frame.length).toBeLessThan(target * 1.1);
      }
    }
  });

  test('estimate is clamped to [16, 65536]', () => {
    const big = collect(64 * 1024);
    for (let i = 0; i < 300; i++) big.fb.add([i, 'y'.repeat(100_000)]);
    expect(big.fb.rowsPerFrame).toBe(16);
    expect(big.frames[1].rowCount).toBe(16);

    const tiny = collect(64 * 1024 * 1024);
    for (let i = 0; i < 300; i++) tiny.fb.add([1]);
    expect(tiny.fb.rowsPerFrame).toBe(65536);
  });

  test('addAll behaves like add in a loop', () => {
    const a = collect(4096);
    const b = collect(4096);
    const input = Array.from({ length: 10_000 }, (_, i) => payloadRow(i));
    a.fb.addAll(input.slice(0, 3333));
    a.fb.addAll(input.slice(3333));
    for (const r of input) b.fb.add(r);
    a.fb.flush();
    b.fb.flush();
    expect(a.frames.map((f) => f.rowCount)).toEqual(b.frames.map((f) => f.rowCount));
    expect(a.rows()).toEqual(input);
  });

  test('frames are independent, transferable buffers', () => {
    const { fb, frames } = collect(1024);
    for (let i = 0; i < 1000; i++) fb.add(wordRow(i));
    const buffers = new Set(frames.map((f) => f.frame.buffer));
    expect(buffers.size).toBe(frames.length);
    for (const f of frames) expect(f.frame.buffer.byteLength).toBe(f.frame.length);
  });

  test('rejects a non-positive target', () => {
    expect(() => new FrameBuilder(() => {}, { targetBytes: 0 })).toThrow(RangeError);
    expect(() => new FrameBuilder(() => {}, { targetBytes: NaN })).toThrow(RangeError);
  });
});
