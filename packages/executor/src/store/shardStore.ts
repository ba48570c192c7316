/**
 * ShardStore: append-only shards of opaque frames, kept in memory up to a global budget and
 * spilled to one file per shard beyond it. Readers replay from any frame and then follow the
 * writer (tail semantics) until it closes.
 *
 * Spill write strategy: append() writes a spilled frame with fs.writeSync (positional, looped
 * over partial writes) before returning. Once append() returns the bytes are in the kernel page
 * cache, so any reader that sees the frame index can read it back from its own file handle; no
 * pending-write buffer or write ordering is needed. The cost (tens of microseconds per 256 KB
 * frame into the page cache) only applies once memory is short. There is no fsync: a crashed
 * process loses its shards anyway and lineage recomputes them.
 *
 * Sections: a shuffle's map task writes ONE shard with a section per target partition (each
 * frame tagged with its section, as Spark's sort-based shuffle writes one file per map task with
 * an index). A reader may read one section of a shard: the frames of that section, in order,
 * following the writer. readMany() reads a list of shards (or one section of each) as one
 * stream, skipping closed empty sections without a wait, so a reduce task over 1000 map outputs
 * costs 1000 lookups, not 1000 streams.
 *
 * Ownership: the store keeps a reference to an in-memory frame instead of copying it (frames
 * are 64-256 KB, a copy per frame is measurable). Writers must not modify a frame after
 * append(). Readers get the store's own bytes (shared with other readers): treat them as
 * read-only and copy before transferring their ArrayBuffer to another thread.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import { isDiskOnlyShard } from './storageLevel';

export interface ShardStoreOptions {
  /** Global budget for frames held in memory, across all shards. */
  memoryBudgetBytes: number;
  /** Directory for spill files; created on the first spill. */
  spillDir: string;
  /** Bounds the wait for a shard that does not exist; default: readers wait until it appears. */
  missingShard?: MissingShardPolicy;
}

/**
 * Readers may legitimately ask for a shard before its writer starts, so a missing shard is waited
 * for; but a shard that was deleted, lost with an agent's restart, or never planned would keep
 * its reader waiting for ever. With a policy, a reader gives up after `timeoutMs` unless a writer
 * is known to be coming.
 */
export interface MissingShardPolicy {
  timeoutMs: number;
  /** True while a writer of the shard is on its way (a queued or running task, an open write stream): the reader waits another round. */
  writerExpected?(shard: string): boolean;
  /** Where this store lives, for the error message (e.g. "agent 10.0.0.5:45327"). */
  where?(): string;
}

export interface ShardStats {
  name: string;
  frames: number;
  /** Total bytes of all frames (in memory and spilled). */
  bytes: number;
  spilledBytes: number;
  closed: boolean;
  error?: string;
}

export interface ShardReadOptions {
  signal?: AbortSignal;
  /** Index of the first frame to yield (0-based, counted within the section when one is read); defaults to 0. */
  fromFrame?: number;
  /** Read only the frames appended with this section. */
  section?: number;
}

/** Thrown to readers and waiters of a shard that was deleted (or of a disposed store). */
export class ShardDeletedError extends Error {
  constructor(readonly shard: string) {
    super(`shard ${shard} was deleted`);
    this.name = 'ShardDeletedError';
  }
}

/** Thrown to a reader of a shard that did not appear within the MissingShardPolicy's bound. */
export class ShardMissingError extends Error {
  constructor(readonly shard: string, where: string | undefined, waitedMs: number) {
    super(`shard ${shard} does not exist${where ? ` on ${where}` : ''}: nothing wrote it within ${waitedMs} ms (deleted, lost with a restarted agent, or never produced)`);
    this.name = 'ShardMissingError';
  }
}

/** Thrown when an AbortSignal stops a read or a wait; `name` is 'AbortError' like Node's. */
export class ShardAbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'AbortError';
  }
}

/** A spilled frame: its place in the shard's spill file. */
interface SpillRef {
  offset: number;
  length: number;
}

type Slot = Uint8Array | SpillRef;

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
}

interface Shard {
  readonly name: string;
  slots: Slot[];
  /** Frame indices per section, for shards written with sections (shuffle outputs). */
  sections?: Map<number, number[]>;
  bytes: number;
  memBytes: number;
  spilledBytes: number;
  /** A DISK_ONLY cached shard: every frame goes to the spill file. */
  diskOnly: boolean;
  closed: boolean;
  error?: Error;
  deleted: boolean;
  spillPath?: string;
  /** Writer's descriptor; open from the first spill until close/delete. */
  fd?: number;
  /** Next write position in the spill file (failed writes do not advance it). */
  fileSize: number;
  /** Readers waiting for the next frame or close; woken (resolved) on any change. */
  waiters: Set<Waiter<void>>;
  /** waitClosed() callers; woken only on close/delete so appends stay cheap. */
  closeWaiters: Set<Waiter<void>>;
  /** Readers' open spill file handles, closed on delete so an abandoned reader cannot pin disk. */
  readerHandles: Set<fs.promises.FileHandle>;
}

/** Upper bounds for one read-ahead from a spill file (one readv call). */
const READ_AHEAD_BYTES = 1 << 20;
const READ_AHEAD_FRAMES = 64;

function abortError(what: string, signal: AbortSignal): ShardAbortError {
  return new ShardAbortError(`${what} aborted`, signal.reason);
}

function wakeAll(set: Set<Waiter<void>>): void {
  if (set.size === 0) return;
  const ws = [...set];
  set.clear();
  for (const w of ws) w.resolve();
}

export class ShardStore {
  private readonly budget: number;
  private readonly spillDir: string;
  private readonly missingShard: MissingShardPolicy | undefined;
  private readonly shards = new Map<string, Shard>();
  /** Readers/waiters of shards that do not exist yet, by name. */
  private readonly creationWaiters = new Map<string, Set<Waiter<Shard>>>();
  private memoryBytes = 0;
  private spilledBytes = 0;
  private disposed = false;
  private dirReady = false;
  /** Set when this store created spillDir, so dispose() may remove it (if empty). */
  private createdDir = false;
  /** Unique per store so stores (or processes) sharing a spill dir never collide. */
  private readonly fileTag = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  private fileSeq = 0;
  /** Reader handle closes started by delete(); dispose() awaits them. */
  private readonly closing = new Set<Promise<void>>();

  constructor(opts: ShardStoreOptions) {
    if (!(opts.memoryBudgetBytes >= 0)) throw new RangeError('memoryBudgetBytes must be >= 0');
    if (!opts.spillDir) throw new Error('spillDir is required');
    this.budget = opts.memoryBudgetBytes;
    this.spillDir = path.resolve(opts.spillDir);
    const missing = opts.missingShard;
    if (missing && !(Number.isInteger(missing.timeoutMs) && missing.timeoutMs > 0)) throw new RangeError(`missingShard.timeoutMs must be a positive integer, got ${missing.timeoutMs}`);
    this.missingShard = missing;
  }

  /**
   * Appends a frame (creating the shard if absent), to `section` of it if given. Never blocks;
   * spills when memory is short.
   */
  append(shard: string, frame: Uint8Array, section?: number): void {
    this.checkOpen();
    const s = this.getOrCreate(shard);
    if (s.closed) throw new Error(`shard ${shard} is closed; cannot append`);
    if (section !== undefined) {
      if (!Number.isInteger(section) || section < 0) throw new RangeError(`section must be a non-negative integer, got ${section}`);
      s.sections ??= new Map();
      let list = s.sections.get(section);
      if (!list) s.sections.set(section, (list = []));
      list.push(s.slots.length);
    }
    const len = frame.byteLength;
    if (s.diskOnly || this.memoryBytes + len > this.budget) {
      s.slots.push(this.spill(s, frame));
      s.spilledBytes += len;
      this.spilledBytes += len;
    } else {
      // Copy only a small view of a much larger buffer, so the budget counts what is really held.
      const own = frame.buffer.byteLength > 2 * len + 4096 ? frame.slice() : frame;
      s.slots.push(own);
      s.memBytes += len;
      this.memoryBytes += len;
    }
    s.bytes += len;
    wakeAll(s.waiters);
  }

  /**
   * Marks the shard finished (EOF) or failed (`error`), creating it empty if absent.
   * A second close is ignored: the first outcome is what readers already saw.
   */
  close(shard: string, error?: Error): void {
    this.checkOpen();
    const s = this.getOrCreate(shard);
    if (s.closed) return;
    s.closed = true;
    s.error = error;
    this.closeFd(s);
    wakeAll(s.waiters);
    wakeAll(s.closeWaiters);
  }

  has(shard: string): boolean {
    return this.shards.has(shard);
  }

  isClosed(shard: string): boolean {
    return this.shards.get(shard)?.closed ?? false;
  }

  /** Resolves when the shard is closed OK; rejects with the writer's error, on delete or abort. */
  async waitClosed(shard: string, signal?: AbortSignal): Promise<void> {
    const what = `wait for shard ${shard}`;
    const s = await this.waitForShard(shard, signal, what);
    for (;;) {
      if (s.deleted) throw new ShardDeletedError(shard);
      if (s.closed) {
        if (s.error) throw s.error;
        return;
      }
      await waitOn(s.closeWaiters, signal, what);
    }
  }

  /**
   * Replays the shard from `fromFrame` and follows the writer until it closes. Waits for the
   * shard to be created if needed. Throws the writer's error after the frames written before it.
   */
  read(shard: string, opts: ShardReadOptions = {}): AsyncIterableIterator<Uint8Array> {
    const from = opts.fromFrame ?? 0;
    if (!Number.isInteger(from) || from < 0) {
      throw new RangeError(`fromFrame must be a non-negative integer, got ${from}`);
    }
    const section = opts.section;
    if (section !== undefined && (!Number.isInteger(section) || section < 0)) {
      throw new RangeError(`section must be a non-negative integer, got ${section}`);
    }
    this.checkOpen();
    return this.readFrames(shard, from, opts.signal, section);
  }

  /**
   * The frames of several shards (or of one section of each) as one stream, shard after shard
   * in order, each followed until its writer closes it. A closed shard with nothing in the
   * section is skipped at once: a reduce task over many map outputs mostly finds nothing.
   */
  async *readMany(shards: readonly string[], opts: { signal?: AbortSignal; section?: number } = {}): AsyncGenerator<Uint8Array> {
    for (const name of shards) {
      const s = this.shards.get(name);
      if (s && s.closed && !s.error && !s.deleted && this.frameCount(s, opts.section) === 0) continue;
      yield* this.read(name, { signal: opts.signal, section: opts.section });
    }
  }

  private frameCount(s: Shard, section: number | undefined): number {
    if (section === undefined) return s.slots.length;
    return s.sections?.get(section)?.length ?? 0;
  }

  /** Frees the shard's memory, unlinks its spill file, and fails its readers and waiters. */
  delete(shard: string): void {
    const s = this.shards.get(shard);
    if (s) this.drop(s);
    this.failCreationWaiters(shard);
  }

  deletePrefix(prefix: string): void {
    for (const s of [...this.shards.values()]) if (s.name.startsWith(prefix)) this.drop(s);
    for (const name of [...this.creationWaiters.keys()]) {
      if (name.startsWith(prefix)) this.failCreationWaiters(name);
    }
  }

  /** Whether any frame of the shard went to its spill file (false for an unknown shard). */
  spilled(shard: string): boolean {
    return (this.shards.get(shard)?.spilledBytes ?? 0) > 0;
  }

  stats(): { memoryBytes: number; spilledBytes: number; shards: ShardStats[] } {
    const shards: ShardStats[] = [];
    for (const s of this.shards.values()) {
      const st: ShardStats = {
        name: s.name,
        frames: s.slots.length,
        bytes: s.bytes,
        spilledBytes: s.spilledBytes,
        closed: s.closed,
      };
      if (s.error) st.error = s.error.message;
      shards.push(st);
    }
    return { memoryBytes: this.memoryBytes, spilledBytes: this.spilledBytes, shards };
  }

  /** Deletes every shard and spill file; later calls (except stats/has) throw. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of [...this.shards.values()]) this.drop(s);
    for (const name of [...this.creationWaiters.keys()]) this.failCreationWaiters(name);
    await Promise.all([...this.closing]);
    if (this.createdDir) {
      // Only an empty dir we made ourselves; other files there are not ours to remove.
      await fs.promises.rmdir(this.spillDir).catch(() => undefined);
    }
  }

  // ---- internals ----

  private checkOpen(): void {
    if (this.disposed) throw new Error('shard store was disposed');
  }

  private getOrCreate(name: string): Shard {
    let s = this.shards.get(name);
    if (s) return s;
    s = {
      name,
      slots: [],
      bytes: 0,
      memBytes: 0,
      spilledBytes: 0,
      diskOnly: isDiskOnlyShard(name),
      closed: false,
      deleted: false,
      fileSize: 0,
      waiters: new Set(),
      closeWaiters: new Set(),
      readerHandles: new Set(),
    };
    this.shards.set(name, s);
    const ws = this.creationWaiters.get(name);
    if (ws) {
      this.creationWaiters.delete(name);
      for (const w of ws) w.resolve(s);
    }
    return s;
  }

  private spill(s: Shard, frame: Uint8Array): SpillRef {
    if (s.fd === undefined) {
      if (!this.dirReady) {
        const made = fs.mkdirSync(this.spillDir, { recursive: true });
        this.createdDir = made !== undefined;
        this.dirReady = true;
      }
      const safe = s.name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
      // Reopening after close cannot happen (closed shards take no appends), so 'w' truncation is safe.
      s.spillPath ??= path.join(this.spillDir, `${safe}.${this.fileTag}.${this.fileSeq++}.spill`);
      s.fd = fs.openSync(s.spillPath, 'w');
    }
    const offset = s.fileSize;
    const len = frame.byteLength;
    let done = 0;
    try {
      while (done < len) done += fs.writeSync(s.fd, frame, done, len - done, offset + done);
    } catch (e) {
      throw new Error(`shard ${s.name}: spill write to ${s.spillPath} failed: ${(e as Error).message}`, {
        cause: e,
      });
    }
    s.fileSize += len;
    return { offset, length: len };
  }

  private closeFd(s: Shard): void {
    if (s.fd === undefined) return;
    const fd = s.fd;
    s.fd = undefined;
    try {
      fs.closeSync(fd);
    } catch {
      // Nothing useful to do: the data was already written with writeSync.
    }
  }

  private drop(s: Shard): void {
    if (s.deleted) return;
    s.deleted = true;
    this.shards.delete(s.name);
    this.memoryBytes -= s.memBytes;
    this.spilledBytes -= s.spilledBytes;
    s.slots = [];
    s.memBytes = 0;
    this.closeFd(s);
    if (s.spillPath) {
      try {
        fs.unlinkSync(s.spillPath);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    for (const h of s.readerHandles) {
      // FileHandle.close waits for a read in flight; the reader then sees `deleted`.
      const p = h.close().catch(() => undefined);
      this.closing.add(p);
      void p.then(() => this.closing.delete(p));
    }
    s.readerHandles.clear();
    wakeAll(s.waiters);
    if (s.closeWaiters.size === 0) return; // an Error (with its stack) costs more than the delete
    const err = new ShardDeletedError(s.name);
    const cws = [...s.closeWaiters];
    s.closeWaiters.clear();
    for (const w of cws) w.reject(err);
  }

  private failCreationWaiters(name: string): void {
    const ws = this.creationWaiters.get(name);
    if (!ws) return;
    this.creationWaiters.delete(name);
    const err = new ShardDeletedError(name);
    for (const w of ws) w.reject(err);
  }

  private async waitForShard(name: string, signal: AbortSignal | undefined, what: string): Promise<Shard> {
    const s = this.shards.get(name);
    if (s) return s;
    this.checkOpen();
    let set = this.creationWaiters.get(name);
    if (!set) this.creationWaiters.set(name, (set = new Set()));
    const ws = set;
    const policy = this.missingShard;
    const expiry = policy && {
      ms: policy.timeoutMs,
      expired: () => (policy.writerExpected?.(name) ? undefined : new ShardMissingError(name, policy.where?.(), policy.timeoutMs)),
    };
    try {
      return await waitOn(ws, signal, what, expiry);
    } finally {
      if (ws.size === 0 && this.creationWaiters.get(name) === ws) this.creationWaiters.delete(name);
    }
  }

  private async *readFrames(name: string, from: number, signal?: AbortSignal, section?: number): AsyncGenerator<Uint8Array> {
    const what = `read of shard ${name}`;
    if (signal?.aborted) throw abortError(what, signal);
    const s = await this.waitForShard(name, signal, what);
    // Positions count frames of the section (or of the shard); slotAt maps them to slot indices.
    const slotAt = (k: number): number => (section === undefined ? k : (s.sections?.get(section)?.[k] ?? -1));
    let next = from;
    // Frames read ahead from the spill file, yielded before going back to the slots.
    let ahead: Uint8Array[] = [];
    let aheadPos = 0;
    let handle: fs.promises.FileHandle | undefined;
    try {
      for (;;) {
        if (s.deleted) throw new ShardDeletedError(name);
        if (signal?.aborted) throw abortError(what, signal);
        if (aheadPos < ahead.length) {
          const f = ahead[aheadPos];
          ahead[aheadPos++] = EMPTY; // drop our reference once handed out
          yield f;
          continue;
        }
        if (next < this.frameCount(s, section)) {
          const slot = s.slots[slotAt(next)];
          if (slot instanceof Uint8Array) {
            next++;
            yield slot;
            continue;
          }
          try {
            if (!handle) {
              handle = await fs.promises.open(s.spillPath as string, 'r');
              if (s.deleted) {
                await handle.close().catch(() => undefined);
                handle = undefined;
                throw new ShardDeletedError(name);
              }
              s.readerHandles.add(handle);
            }
            ahead = await readRun(handle, s.slots, next, this.frameCount(s, section), slotAt);
          } catch (e) {
            // A delete closes our handle/unlinks the file mid-read: report the delete, not EBADF.
            if (s.deleted) throw new ShardDeletedError(name);
            throw e;
          }
          aheadPos = 0;
          next += ahead.length;
          continue;
        }
        if (s.closed) {
          if (s.error) throw s.error;
          return;
        }
        await waitOn(s.waiters, signal, what);
      }
    } finally {
      if (handle) {
        s.readerHandles.delete(handle);
        await handle.close().catch(() => undefined);
      }
    }
  }
}

const EMPTY = new Uint8Array(0);

/**
 * One 'abort' listener per signal, fanned out to the current waits: many readers sharing a task's
 * signal would otherwise add a listener each and trip Node's MaxListenersExceededWarning.
 */
const abortSubscribers = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, cb: () => void): () => void {
  let subs = abortSubscribers.get(signal);
  if (!subs) {
    const set = new Set<() => void>();
    subs = set;
    abortSubscribers.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        const cbs = [...set];
        set.clear();
        for (const f of cbs) f();
      },
      { once: true },
    );
  }
  const mine = subs;
  mine.add(cb);
  return () => mine.delete(cb);
}

/** A bound on a wait: every `ms`, `expired()` says whether to give up (an error) or wait another round. */
interface Expiry {
  ms: number;
  expired(): Error | undefined;
}

/**
 * Waits on `set` until the store resolves/rejects the waiter, `signal` aborts, or `expiry` gives
 * up. The abort subscription and the timer live only for this wait.
 */
function waitOn<T>(set: Set<Waiter<T>>, signal: AbortSignal | undefined, what: string, expiry?: Expiry): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(what, signal));
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const unsubscribe = signal
      ? onAbort(signal, () => {
          set.delete(w);
          clearTimeout(timer);
          reject(abortError(what, signal));
        })
      : undefined;
    const w: Waiter<T> = {
      resolve(v) {
        unsubscribe?.();
        clearTimeout(timer);
        resolve(v);
      },
      reject(e) {
        unsubscribe?.();
        clearTimeout(timer);
        reject(e);
      },
    };
    if (expiry) {
      const arm = () => {
        timer = setTimeout(() => {
          const err = expiry.expired();
          if (!err) return arm();
          set.delete(w);
          w.reject(err);
        }, expiry.ms);
        // A wait alone must not keep a process alive (the reader's own work does).
        timer.unref();
      };
      arm();
    }
    set.add(w);
  });
}

/**
 * Reads the run of spilled frames at positions [start, end) that lie back to back in the spill
 * file, with one readv. Each frame gets its own ArrayBuffer (allocUnsafeSlow is never pooled)
 * so a consumer may copy or keep one frame without pinning the others. Spilled frames of a
 * shard are contiguous in its file because writes are sequential and a failed write does not
 * advance the offset; a section's frames are contiguous only where no other section's frame
 * was written between them.
 */
async function readRun(handle: fs.promises.FileHandle, slots: Slot[], start: number, end: number, slotAt: (k: number) => number): Promise<Uint8Array[]> {
  const first = slots[slotAt(start)] as SpillRef;
  const bufs: Buffer[] = [];
  let total = 0;
  for (let k = start; k < end && bufs.length < READ_AHEAD_FRAMES; k++) {
    const slot = slots[slotAt(k)];
    if (slot instanceof Uint8Array) break;
    if (slot.offset !== first.offset + total) break;
    if (bufs.length > 0 && total + slot.length > READ_AHEAD_BYTES) break;
    bufs.push(Buffer.allocUnsafeSlow(slot.length));
    total += slot.length;
  }
  let got = total > 0 ? (await handle.readv(bufs, first.offset)).bytesRead : 0;
  // Short reads are rare on regular files; finish them buffer by buffer.
  let base = 0;
  for (const b of bufs) {
    const end = base + b.length;
    while (got < end) {
      const off = got - base;
      const { bytesRead } = await handle.read(b, off, b.length - off, first.offset + got);
      if (bytesRead === 0) throw new Error('spill file is shorter than its index');
      got += bytesRead;
    }
    base = end;
  }
  return bufs.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.length));
}
