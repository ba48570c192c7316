// --checkpoint: a restarted engine keeps its queries (same ids), their state and the counters,
// does not read the processed files again, and reads the files that arrived while it was down.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryEngine } from '@gleam/queries';
import { dropFile, makeRecords, reference } from './engineReference';

jest.setTimeout(120000);

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('a restart from the checkpoint keeps queries and state and skips processed files', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-queries-ckpt-'));
  dirs.push(root);
  const watch = path.join(root, 'in');
  const ckpt = path.join(root, 'ckpt');
  fs.mkdirSync(watch);
  const opts = { watchDir: watch, format: 'jsonl' as const, batchMs: 3_600_000, executors: 2, checkpoint: ckpt };
  const texts = ["SELECT user.lang, count(*), sum(price) WHERE status = 'error' GROUP BY user.lang", 'SELECT id ORDER BY id DESC LIMIT 3', 'SELECT count(*) WINDOW 2 BATCHES'];
  const f = [makeRecords(300, 31), makeRecords(250, 32), makeRecords(200, 33), makeRecords(150, 34)];

  const first = new QueryEngine(opts);
  await first.start();
  const ids = texts.map((t) => first.add(t).id);
  const removed = first.add('SELECT count(*)').id;
  first.remove(removed);
  dropFile(watch, 'a.jsonl', f[0]);
  await first.batchNow();
  dropFile(watch, 'b.jsonl', f[1]);
  await first.batchNow();
  const before = ids.map((id) => first.get(id)!);
  await first.stop();
  expect(JSON.parse(fs.readFileSync(path.join(ckpt, 'queries.json'), 'utf8')).processed.sort()).toEqual(['a.jsonl', 'b.jsonl']);

  // Arrives while the engine is down: the restarted engine reads it.
  dropFile(watch, 'c.jsonl', f[2]);
  const second = new QueryEngine(opts);
  await second.start();
  try {
    expect(second.list()).toEqual(texts.map((text, i) => ({ id: ids[i], text })));
    expect(ids.map((id) => second.get(id))).toEqual(before);
    expect(second.metrics()).toMatchObject({ files: 2, rowsParsed: 550, jobs: 2, queries: 3 });
    await second.batchNow();
    dropFile(watch, 'd.jsonl', f[3]);
    await second.batchNow();
    // Only c and d were read by the second engine: 350 more rows, two more jobs.
    expect(second.metrics()).toMatchObject({ files: 4, rowsParsed: 900, jobs: 4 });
    expect(second.get(ids[0])!.rows).toEqual(reference(texts[0], f.flat()));
    expect(second.get(ids[1])!.rows).toEqual(reference(texts[1], f.flat()));
    expect(second.get(ids[2])!.rows).toEqual([[350]]);
    expect(second.get(ids[0])!.batches).toBe(4);
    // A new query gets a new id, not one of the restored (or removed) ones.
    expect(second.add('SELECT count(*)').id).not.toMatch(new RegExp(`^(${[...ids, removed].join('|')})$`));
  } finally {
    await second.stop();
  }
  // A damaged checkpoint is refused with a message naming the file.
  fs.writeFileSync(path.join(ckpt, 'queries.json'), '{ broken');
  await expect(new QueryEngine(opts).start()).rejects.toThrow(/checkpoint: .*queries\.json is not valid JSON/);
});
