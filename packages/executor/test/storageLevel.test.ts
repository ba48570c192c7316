// Storage levels in cached shard names: DISK_ONLY shards are written straight to the spill file;
// a MEMORY_ONLY shard that spilled is reported (its task's stats name it, and it is dropped after the job).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ShardStore } from '../src/store/shardStore';
import { cachedShardBase, isDiskOnlyShard, isMemoryOnlyShard } from '../src/store/storageLevel';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-level-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the level is in the cached shard name, any attempt of it', () => {
  expect(cachedShardBase('flow/f1-2/', 7, 'DISK_ONLY')).toBe('flow/f1-2/disk7');
  expect(cachedShardBase('flow/f1-2/', 7, 'MEMORY_AND_DISK')).toBe('flow/f1-2/d7');
  expect(cachedShardBase('flow/f1-2/', 7)).toBe('flow/f1-2/d7');
  expect(cachedShardBase('flow/f1-2/', 7, 'MEMORY_ONLY')).toBe('flow/f1-2/mem7');
  expect(isMemoryOnlyShard('flow/f1-2/mem7-s3')).toBe(true);
  expect(isMemoryOnlyShard('flow/f1-2/mem7r2-s3~a2~a2')).toBe(true);
  expect(isMemoryOnlyShard('flow/f1-2/d7-s3')).toBe(false);
  expect(isDiskOnlyShard('flow/f1-2/mem7-s3')).toBe(false);
  expect(isDiskOnlyShard('flow/f1-2/disk7r1-s0')).toBe(true);
  expect(isDiskOnlyShard('flow/f1-2/disk7-s3')).toBe(true);
  expect(isDiskOnlyShard('flow/f1-2/disk7-s3~a2')).toBe(true);
  expect(isDiskOnlyShard('flow/f1-2/d7-s3')).toBe(false);
  expect(isDiskOnlyShard('j1/disk-report')).toBe(false);
});

test('a DISK_ONLY shard holds no frame in memory, however large the budget; it reads back whole', async () => {
  const store = new ShardStore({ memoryBudgetBytes: 64 << 20, spillDir: dir });
  const frames = [Uint8Array.from([1, 2, 3]), Uint8Array.from([4, 5]), new Uint8Array(10000).fill(9)];
  for (const f of frames) {
    store.append('flow/f1/disk3-s0', f);
    store.append('flow/f1/d3-s0', f);
  }
  store.close('flow/f1/disk3-s0');
  store.close('flow/f1/d3-s0');
  const st = store.stats();
  const disk = st.shards.find((s) => s.name === 'flow/f1/disk3-s0')!;
  const mem = st.shards.find((s) => s.name === 'flow/f1/d3-s0')!;
  expect(disk.spilledBytes).toBe(10005);
  expect(mem.spilledBytes).toBe(0);
  expect(st.memoryBytes).toBe(10005);
  const back: number[] = [];
  for await (const f of store.read('flow/f1/disk3-s0')) back.push(...f);
  expect(back).toEqual(frames.flatMap((f) => [...f]));
  await store.dispose();
});

test('spilled() tells whether a shard had to spill: a MEMORY_ONLY shard beyond the budget does', () => {
  const store = new ShardStore({ memoryBudgetBytes: 1000, spillDir: dir });
  store.append('flow/f1/mem3-s0', new Uint8Array(800));
  store.append('flow/f1/mem3-s1', new Uint8Array(800));
  store.close('flow/f1/mem3-s0');
  store.close('flow/f1/mem3-s1');
  expect(store.spilled('flow/f1/mem3-s0')).toBe(false);
  expect(store.spilled('flow/f1/mem3-s1')).toBe(true);
  expect(store.spilled('no/such')).toBe(false);
  return store.dispose();
});
