// The stale-writer rule: a writer older than a delete cannot bring the shard back.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentShards } from '../src/agentShards';

let dir: string;
let shards: AgentShards;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentshards-test-'));
  shards = new AgentShards({ memoryBudgetBytes: 1 << 20, spillDir: dir });
});

afterEach(async () => {
  await shards.store.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const f = new Uint8Array([0x91, 0x91, 1]);

test('frames of a writer that started before a prefix delete are dropped', () => {
  const old = shards.beginWriter();
  shards.appendFromTask('j1/a', f, old.epoch);
  shards.deletePrefix('j1/');
  shards.appendFromTask('j1/a', f, old.epoch);
  shards.close('j1/a', undefined, old.epoch);
  expect(shards.store.has('j1/a')).toBe(false);
  // A writer started after the delete (a retry) writes normally.
  const fresh = shards.beginWriter();
  shards.appendFromTask('j1/a', f, fresh.epoch);
  expect(shards.store.stats().shards).toMatchObject([{ name: 'j1/a', frames: 1 }]);
  // Other jobs are not affected by j1's delete.
  shards.appendFromTask('j2/a', f, old.epoch);
  expect(shards.store.has('j2/a')).toBe(true);
  old.release();
  fresh.release();
});

test('a single-shard delete stops only that shard; deletions are forgotten once no writer needs them', () => {
  const w = shards.beginWriter();
  shards.delete('j1/a');
  expect(shards.isStale('j1/a', w.epoch)).toBe(true);
  expect(shards.isStale('j1/b', w.epoch)).toBe(false);
  w.release();
  const w2 = shards.beginWriter();
  expect(shards.isStale('j1/a', w2.epoch)).toBe(false);
  w2.release();
});

test('appends after the shard closed are dropped (frames in flight from a failed task)', () => {
  const w = shards.beginWriter();
  shards.appendFromTask('j1/a', f, w.epoch);
  shards.close('j1/a', new Error('boom'), w.epoch);
  expect(() => shards.appendFromTask('j1/a', f, w.epoch)).not.toThrow();
  expect(shards.store.stats().shards).toMatchObject([{ name: 'j1/a', frames: 1, closed: true, error: 'boom' }]);
  w.release();
});
