import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ShardStore, ShardDeletedError, ShardMissingError } from '../src/store/shardStore';

// Every test finishes well under this; a hang fails fast instead of waiting for jest's global limit.
const T = 10_000;

let dir: string;
let stores: ShardStore[] = [];

function newStore(memoryBudgetBytes = 64 << 20, spillDir = path.join(dir, 'spill')): ShardStore {
  const s = new ShardStore({ memoryBudgetBytes, spillDir });
  stores.push(s);
  return s;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shardstore-test-'));
  stores = [];
});

afterEach(async () => {
  for (const s of stores) await s.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Frame i of a test stream: deterministic bytes, tagged with its index, of `size` bytes. */
function frame(i: number, size = 64): Uint8Array {
  const f = new Uint8Array(size);
  for (let k = 0; k < size; k++) f[k] = (i * 31 + k * 7) & 0xff;
  if (size >= 4) new DataView(f.buffer).setUint32(0, i);
  return f;
}

function indexOf(f: Uint8Array): number {
  return new DataView(f.buffer, f.byteOffset, f.byteLength).getUint32(0);
}

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const f of it) out.push(f);
  return out;
}

function expectFrames(got: Uint8Array[], from: number, to: number, size = 64): void {
  expect(got.length).toBe(to - from);
  for (let i = from; i < to; i++) {
    const g = got[i - from];
    if (!Buffer.from(g.buffer, g.byteOffset, g.byteLength).equals(Buffer.from(frame(i, size)))) {
      throw new Error(`frame ${i - from} differs: expected index ${i}, got ${indexOf(g)}`);
    }
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Resolves with how the promise settled, or 'pending' if it has not after a few event-loop turns. */
async function settled(p: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await tick();
  return state;
}

function spillFiles(d: string): string[] {
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.spill')) : [];
}

describe('ShardStore', () => {
  test(
    'reader after the writer closed replays every frame in order',
    async () => {
      const st = newStore();
      for (let i = 0; i < 10; i++) st.append('f1-d1-s0', frame(i));
      st.close('f1-d1-s0');
      expect(st.isClosed('f1-d1-s0')).toBe(true);
      expectFrames(await collect(st.read('f1-d1-s0')), 0, 10);
      // Replays again for a second reader (retries need it).
      expectFrames(await collect(st.read('f1-d1-s0')), 0, 10);
    },
    T,
  );

  test(
    'reader attached before the shard exists waits for it, then follows the writer',
    async () => {
      const st = newStore();
      const got = collect(st.read('f1-d1-s0'));
      expect(st.has('f1-d1-s0')).toBe(false);
      expect(await settled(got)).toBe('pending');
      for (let i = 0; i < 5; i++) {
        st.append('f1-d1-s0', frame(i));
        await tick();
      }
      expect(await settled(got)).toBe('pending');
      st.close('f1-d1-s0');
      expectFrames(await got, 0, 5);
    },
    T,
  );

  test(
    'reader attached mid-write replays, then tails until close',
    async () => {
      const st = newStore();
      for (let i = 0; i < 3; i++) st.append('s', frame(i));
      const it = st.read('s');
      const got: Uint8Array[] = [];
      for (let k = 0; k < 3; k++) {
        const r = await it.next();
        expect(r.done).toBe(false);
        got.push(r.value as Uint8Array);
      }
      // Caught up: the next frame only arrives once written.
      const pending = it.next();
      expect(await settled(pending)).toBe('pending');
      st.append('s', frame(3));
      const r = await pending;
      got.push(r.value as Uint8Array);
      st.append('s', frame(4));
      st.close('s');
      for await (const f of it) got.push(f);
      expectFrames(got, 0, 5);
    },
    T,
  );

  test(
    'many independent readers see identical frames',
    async () => {
      const st = newStore();
      const readers = [collect(st.read('s')), collect(st.read('s'))];
      for (let i = 0; i < 20; i++) {
        st.append('s', frame(i, 1000));
        if (i === 10) readers.push(collect(st.read('s')));
        if (i % 3 === 0) await tick();
      }
      st.close('s');
      readers.push(collect(st.read('s')));
      for (const r of await Promise.all(readers)) expectFrames(r, 0, 20, 1000);
    },
    T,
  );

  test(
    'close of an absent shard creates an empty closed shard',
    async () => {
      const st = newStore();
      const waiting = collect(st.read('empty'));
      st.close('empty');
      expect(st.has('empty')).toBe(true);
      expect(await waiting).toEqual([]);
      expect(await collect(st.read('empty'))).toEqual([]);
      await expect(st.waitClosed('empty')).resolves.toBeUndefined();
      expect(() => st.append('empty', frame(0))).toThrow(/closed/);
      expect(st.stats().shards).toEqual([{ name: 'empty', frames: 0, bytes: 0, spilledBytes: 0, closed: true }]);
    },
    T,
  );

  test(
    'fromFrame starts mid-shard, including past the current end and in spilled frames',
    async () => {
      const st = newStore(300);
      for (let i = 0; i < 10; i++) st.append('s', frame(i, 100)); // frames 3.. spill
      const ahead = collect(st.read('s', { fromFrame: 12 }));
      expectFrames(await collectN(st.read('s', { fromFrame: 7 }), 3), 7, 10, 100);
      for (let i = 10; i < 15; i++) st.append('s', frame(i, 100));
      st.close('s');
      expectFrames(await collect(st.read('s', { fromFrame: 2 })), 2, 15, 100);
      expectFrames(await ahead, 12, 15, 100);
      expect(await collect(st.read('s', { fromFrame: 99 }))).toEqual([]);
      expect(() => st.read('s', { fromFrame: -1 })).toThrow(RangeError);
    },
    T,
  );

  test(
    'writer error reaches readers after the frames written before it, and waitClosed rejects',
    async () => {
      const st = newStore();
      const early = st.read('s');
      const closed = st.waitClosed('s');
      st.append('s', frame(0));
      st.append('s', frame(1));
      const boom = new Error('udf failed on row 7');
      st.close('s', boom);
      const got: Uint8Array[] = [];
      await expect(
        (async () => {
          for await (const f of early) got.push(f);
        })(),
      ).rejects.toBe(boom);
      expectFrames(got, 0, 2);
      await expect(closed).rejects.toBe(boom);
      await expect(collect(st.read('s'))).rejects.toThrow('udf failed on row 7');
      expect(st.stats().shards[0].error).toBe('udf failed on row 7');
    },
    T,
  );

  test(
    'waitClosed waits for creation and close',
    async () => {
      const st = newStore();
      const p = st.waitClosed('s');
      expect(await settled(p)).toBe('pending');
      st.append('s', frame(0));
      expect(await settled(p)).toBe('pending');
      st.close('s');
      await expect(p).resolves.toBeUndefined();
    },
    T,
  );

  test(
    'abort stops a waiting reader and a waitClosed',
    async () => {
      const st = newStore();
      const ac = new AbortController();
      const before = collect(st.read('nothing-yet', { signal: ac.signal }));
      st.append('s', frame(0));
      const it = st.read('s', { signal: ac.signal });
      expect((await it.next()).done).toBe(false);
      const tail = it.next();
      const wc = st.waitClosed('s', ac.signal);
      expect(await settled(tail)).toBe('pending');
      ac.abort();
      await expect(before).rejects.toMatchObject({ name: 'AbortError' });
      await expect(tail).rejects.toMatchObject({ name: 'AbortError' });
      await expect(wc).rejects.toMatchObject({ name: 'AbortError' });
      // An already-aborted signal fails at once; the store and other readers are unaffected.
      await expect(collect(st.read('s', { signal: ac.signal }))).rejects.toMatchObject({ name: 'AbortError' });
      st.close('s');
      expectFrames(await collect(st.read('s')), 0, 1);
    },
    T,
  );

  test(
    'delete while reading fails active readers and frees memory',
    async () => {
      const st = newStore();
      st.append('f9-d1-s0', frame(0, 5000));
      const it = st.read('f9-d1-s0');
      expect((await it.next()).done).toBe(false);
      const tail = it.next();
      const wc = st.waitClosed('f9-d1-s0');
      const notYet = collect(st.read('f9-d2-s0'));
      expect(st.stats().memoryBytes).toBe(5000);
      st.delete('f9-d1-s0');
      st.delete('f9-d2-s0');
      await expect(tail).rejects.toThrow('shard f9-d1-s0 was deleted');
      await expect(wc).rejects.toBeInstanceOf(ShardDeletedError);
      await expect(notYet).rejects.toThrow('shard f9-d2-s0 was deleted');
      expect(st.has('f9-d1-s0')).toBe(false);
      expect(st.stats()).toEqual({ memoryBytes: 0, spilledBytes: 0, shards: [] });
      // The name can be reused by a new writer (a retry).
      st.append('f9-d1-s0', frame(7));
      st.close('f9-d1-s0');
      const again = await collect(st.read('f9-d1-s0'));
      expect(again.map(indexOf)).toEqual([7]);
    },
    T,
  );

  test(
    'deletePrefix removes matching shards only',
    async () => {
      const st = newStore(0);
      for (const n of ['f1-d1-s0', 'f1-d1-s1', 'f1-d2-s0', 'f2-d1-s0']) {
        st.append(n, frame(1, 100));
        st.close(n);
      }
      const sd = path.join(dir, 'spill');
      expect(spillFiles(sd)).toHaveLength(4);
      st.deletePrefix('f1-d1-');
      expect(st.stats().shards.map((s) => s.name).sort()).toEqual(['f1-d2-s0', 'f2-d1-s0']);
      expect(spillFiles(sd)).toHaveLength(2);
      expect(st.stats().spilledBytes).toBe(200);
    },
    T,
  );

  test(
    'spills past the budget: identical contents, stats, files removed by delete and dispose',
    async () => {
      const sd = path.join(dir, 'nested', 'spill');
      const st = newStore(1000, sd);
      expect(fs.existsSync(sd)).toBe(false); // created lazily
      const live = collect(st.read('a'));
      for (let i = 0; i < 200; i++) {
        st.append('a', frame(i, 300));
        st.append('b', frame(i, 150));
        if (i % 17 === 0) await tick();
      }
      st.close('a');
      st.close('b');
      const s = st.stats();
      expect(s.memoryBytes).toBeLessThanOrEqual(1000);
      expect(s.memoryBytes + s.spilledBytes).toBe(200 * 450);
      expect(s.spilledBytes).toBeGreaterThan(200 * 450 - 1000);
      const a = s.shards.find((x) => x.name === 'a');
      expect(a).toMatchObject({ frames: 200, bytes: 200 * 300, closed: true });
      expect(a!.spilledBytes).toBeGreaterThan(0);
      expect(spillFiles(sd)).toHaveLength(2);

      expectFrames(await live, 0, 200, 300);
      expectFrames(await collect(st.read('a')), 0, 200, 300);
      expectFrames(await collect(st.read('b')), 0, 200, 150);

      st.delete('a');
      expect(spillFiles(sd)).toHaveLength(1);
      expect(st.stats().shards.map((x) => x.name)).toEqual(['b']);
      // Freed memory is available again: a new shard's first frame stays in memory.
      const memBefore = st.stats().memoryBytes;
      st.append('c', frame(0, 10));
      expect(st.stats().memoryBytes).toBe(memBefore + 10);

      await st.dispose();
      expect(spillFiles(sd)).toHaveLength(0);
      expect(fs.existsSync(sd)).toBe(false); // we created it, it is empty: removed
      expect(() => st.append('c', frame(1))).toThrow(/disposed/);
    },
    T,
  );

  test(
    'frames larger than the budget spill; memory frames and spilled frames interleave in order',
    async () => {
      const st = newStore(1000);
      const sizes = [400, 5000, 400, 2000, 100, 100, 50_000, 10];
      for (let i = 0; i < sizes.length; i++) {
        st.append('s', frame(i, sizes[i]));
        // Deleting another shard frees budget mid-stream so later frames go back to memory.
        if (i === 0) st.append('other', frame(0, 500));
        if (i === 3) st.delete('other');
      }
      st.close('s');
      const got = await collect(st.read('s'));
      expect(got.map((f) => f.byteLength)).toEqual(sizes);
      got.forEach((g, i) => expect(Buffer.from(g).equals(Buffer.from(frame(i, sizes[i])))).toBe(true));
    },
    T,
  );

  test(
    'delete while a reader is draining spilled frames fails it with the delete error',
    async () => {
      const st = newStore(0);
      for (let i = 0; i < 50; i++) st.append('s', frame(i, 1000));
      const it = st.read('s');
      expect(indexOf((await it.next()).value as Uint8Array)).toBe(0);
      st.delete('s');
      await expect(it.next()).rejects.toThrow('shard s was deleted');
      expect(spillFiles(path.join(dir, 'spill'))).toHaveLength(0);
    },
    T,
  );

  test(
    'delete during an in-flight spill file open or read fails the reader with the delete error',
    async () => {
      const st = newStore(0);
      for (let i = 0; i < 100; i++) st.append('s', frame(i, 1000));
      st.append('t', frame(0, 1000));
      // Delete while the reader is opening the spill file.
      const first = st.read('t').next();
      st.delete('t');
      await expect(first).rejects.toThrow('shard t was deleted');
      // Delete while the second read-ahead run (frames 64..) is being read.
      const it = st.read('s');
      for (let i = 0; i < 64; i++) expect(indexOf((await it.next()).value as Uint8Array)).toBe(i);
      const inFlight = it.next();
      st.delete('s');
      await expect(inFlight).rejects.toThrow('shard s was deleted');
      await expect(it.next()).resolves.toEqual({ done: true, value: undefined });
      expect(spillFiles(path.join(dir, 'spill'))).toHaveLength(0);
    },
    T,
  );

  test(
    'many waiting readers share one signal without listener warnings',
    async () => {
      const warnings: Error[] = [];
      const onWarn = (w: Error): void => void warnings.push(w);
      process.on('warning', onWarn);
      try {
        const st = newStore();
        const ac = new AbortController();
        const readers = Array.from({ length: 50 }, (_, i) => collect(st.read(`s${i}`, { signal: ac.signal })));
        const checks = readers.map((r) => expect(r).rejects.toMatchObject({ name: 'AbortError' }));
        await tick();
        ac.abort();
        await Promise.all(checks);
        await tick();
        expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
      } finally {
        process.off('warning', onWarn);
      }
    },
    T,
  );

  test(
    'readers of a disposed store fail instead of hanging',
    async () => {
      const st = newStore(0);
      st.append('s', frame(0));
      const tail = collect(st.read('s'));
      const never = collect(st.read('never'));
      await tick();
      // Attach the expectations first: the rejections happen during dispose().
      const checks = [expect(tail).rejects.toThrow(/was deleted/), expect(never).rejects.toThrow(/was deleted/)];
      await st.dispose();
      await Promise.all(checks);
      expect(() => st.read('s')).toThrow(/disposed/);
    },
    T,
  );

  test(
    'large: 2000 frames of 10 KB with a 1 MB budget and two concurrent readers',
    async () => {
      const st = newStore(1 << 20);
      const n = 2000;
      const size = 10 * 1024;
      const check = async (it: AsyncIterable<Uint8Array>): Promise<number> => {
        let i = 0;
        for await (const f of it) {
          if (f.byteLength !== size || indexOf(f) !== i || f[size - 1] !== frame(i, size)[size - 1]) {
            throw new Error(`bad frame at ${i}`);
          }
          i++;
        }
        return i;
      };
      const r1 = check(st.read('big'));
      const writer = (async () => {
        for (let i = 0; i < n; i++) {
          st.append('big', frame(i, size));
          if (i % 50 === 0) await tick();
        }
        st.close('big');
      })();
      const r2 = (async () => {
        for (let k = 0; k < 10; k++) await tick();
        return check(st.read('big'));
      })();
      await writer;
      expect(await Promise.all([r1, r2])).toEqual([n, n]);
      const s = st.stats();
      expect(s.spilledBytes).toBeGreaterThan(n * size - (1 << 20) - 1);
      expect(s.memoryBytes + s.spilledBytes).toBe(n * size);
      // Full content check of a third, post-close reader.
      expectFrames(await collect(st.read('big')), 0, n, size);
    },
    30_000,
  );
});

async function collectN(it: AsyncIterableIterator<Uint8Array>, n: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value);
  }
  await it.return?.();
  return out;
}

describe('ShardStore with a missing-shard bound', () => {
  function boundedStore(timeoutMs: number, writerExpected: (s: string) => boolean = () => false): ShardStore {
    const s = new ShardStore({ memoryBudgetBytes: 1 << 20, spillDir: path.join(dir, 'spill'), missingShard: { timeoutMs, writerExpected, where: () => 'agent test:1' } });
    stores.push(s);
    return s;
  }

  test('a read or waitClosed of a shard nobody writes fails with ShardMissingError after the bound', async () => {
    const store = boundedStore(50);
    const t0 = Date.now();
    await expect(collect(store.read('x/none'))).rejects.toThrow(ShardMissingError);
    await expect(collect(store.readMany(['x/none2']))).rejects.toThrow('shard x/none2 does not exist on agent test:1: nothing wrote it within 50 ms');
    await expect(store.waitClosed('x/none3')).rejects.toThrow(ShardMissingError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  }, T);

  test('while a writer is expected the reader waits another round; a shard that appears is read', async () => {
    let expected = true;
    const asked: string[] = [];
    const store = boundedStore(40, (s) => (asked.push(s), expected));
    const reading = collect(store.read('x/slow'));
    await new Promise((r) => setTimeout(r, 150));
    expect(asked.length).toBeGreaterThanOrEqual(2);
    store.append('x/slow', frame(1));
    store.close('x/slow');
    expect((await reading).map(indexOf)).toEqual([1]);
    expected = false;
    await expect(collect(store.read('x/never'))).rejects.toThrow(ShardMissingError);
  }, T);

  test('abort and delete still end the wait first', async () => {
    const store = boundedStore(60_000);
    const ac = new AbortController();
    const aborted = collect(store.read('x/a', { signal: ac.signal }));
    const deleted = collect(store.read('x/d'));
    ac.abort();
    store.delete('x/d');
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await expect(deleted).rejects.toThrow(ShardDeletedError);
  }, T);

  test('the bound must be a positive integer', () => {
    expect(() => new ShardStore({ memoryBudgetBytes: 0, spillDir: dir, missingShard: { timeoutMs: 0 } })).toThrow(RangeError);
  });
});
