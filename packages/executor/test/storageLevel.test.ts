// DISK_ONLY cached shards: recognised by name in every store, written straight to the spill file.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ShardStore } from '../src/store/shardStore';
import { cachedShardBase, isDiskOnlyShard } from '../src/store/storageLevel';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-level-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the level is in the cached shard name, any attempt of it', () => {
  expect(cachedShardBase('flow/f1-2/', 7, true)).toBe('flow/f1-2/disk7');
  expect(cachedShardBase('flow/f1-2/', 7, false)).toBe('flow/f1-2/d7');
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
