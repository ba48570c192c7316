// A sink's reads on a remote cluster: the partitions it reads, in order, fetched in chunks of
// CHUNK_PARTS with one ReadParts call per agent per chunk (the next chunk's calls open while the
// current one is read). A sink over 2001 partitions makes ~16 calls, not 4002.
import { GleamError, type ShardSet } from '@gleam/executor';
import { PartsReader, type AgentClient, type PartRequest } from '@gleam/proto';
import type { PartReader } from '../cluster';
import type { ShardLocations } from './shardLocations';

const CHUNK_PARTS = 256;

interface Chunk {
  readers: Map<string, PartsReader>;
  /** Per part of the chunk: the agents to read it from, in order (one entry per run of shards). */
  runs: string[][];
}

export class RemotePartReader implements PartReader {
  private readonly chunks = new Map<number, Promise<Chunk>>();

  constructor(
    private readonly parts: ShardSet[],
    private readonly locations: ShardLocations,
    private readonly client: (agent: string) => AgentClient,
    private readonly secret: string | undefined,
    private readonly signal: AbortSignal,
    private readonly describeError: (agent: string, doing: string, e: unknown) => Error,
  ) {}

  async *part(i: number): AsyncGenerator<Uint8Array> {
    const k = Math.floor(i / CHUNK_PARTS);
    const chunk = await this.chunk(k);
    // Read ahead: the next chunk's calls open while this one is read.
    if ((k + 1) * CHUNK_PARTS < this.parts.length) void this.chunk(k + 1).catch(() => undefined);
    for (const agent of chunk.runs[i - k * CHUNK_PARTS]) {
      try {
        yield* chunk.readers.get(agent)!.part();
      } catch (e) {
        if (this.signal.aborted) throw e;
        throw this.describeError(agent, `reading partition ${i}`, e);
      }
    }
    if (i === Math.min(this.parts.length, (k + 1) * CHUNK_PARTS) - 1) {
      this.chunks.delete(k);
      for (const [agent, r] of chunk.readers) await r.done().catch((e) => Promise.reject(this.describeError(agent, 'ending a read', e)));
    }
  }

  close(): void {
    for (const c of this.chunks.values()) void c.then((chunk) => chunk.readers.forEach((r) => r.cancel()), () => undefined);
    this.chunks.clear();
  }

  private chunk(k: number): Promise<Chunk> {
    let c = this.chunks.get(k);
    if (!c) {
      c = this.open(k);
      this.chunks.set(k, c);
    }
    return c;
  }

  private async open(k: number): Promise<Chunk> {
    const parts = this.parts.slice(k * CHUNK_PARTS, (k + 1) * CHUNK_PARTS);
    const requests = new Map<string, PartRequest[]>();
    const runs: string[][] = [];
    for (const part of parts) {
      const agents: string[] = [];
      for (const run of await this.runsOf(part.shards, part.section !== undefined)) {
        let reqs = requests.get(run.agent);
        if (!reqs) requests.set(run.agent, (reqs = []));
        reqs.push({ shards: run.shards, section: part.section });
        agents.push(run.agent);
      }
      runs.push(agents);
    }
    if (this.signal.aborted) throw this.signal.reason instanceof Error ? this.signal.reason : new GleamError('the job was cancelled');
    const readers = new Map<string, PartsReader>();
    for (const [agent, reqs] of requests) readers.set(agent, new PartsReader(this.client(agent), reqs, { secret: this.secret, signal: this.signal }));
    return { readers, runs };
  }

  private readonly runCache = new WeakMap<readonly string[], { agent: string; shards: string[] }[]>();

  /**
   * A list's shards by agent: runs of consecutive shards, or one run per agent when order does
   * not matter (sections). Lists shared by many parts (a shuffle read section by section) are
   * split once, and their runs keep one identity so ReadParts sends each once.
   */
  private async runsOf(list: readonly string[], anyOrder: boolean): Promise<{ agent: string; shards: string[] }[]> {
    const cached = anyOrder ? this.runCache.get(list) : undefined;
    if (cached) return cached;
    const runs: { agent: string; shards: string[] }[] = [];
    for (const shard of list) {
      const agent = await this.locations.wait(shard, this.signal);
      const run = anyOrder ? runs.find((r) => r.agent === agent) : runs[runs.length - 1];
      if (run && run.agent === agent) run.shards.push(shard);
      else runs.push({ agent, shards: [shard] });
    }
    if (anyOrder) this.runCache.set(list, runs);
    return runs;
  }
}
