// Twenty standing queries over files that keep arriving, served by one engine: every query's
// result equals the query computed alone over the files it covers (engineReference.ts, and for
// some a separate engine holding only that query), and the counters prove the sharing: each
// file's rows parsed once (not 20 times), one job per batch, each distinct predicate evaluated
// once per row.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QueryEngine } from '@gleam/queries';
import { dropFile, makeRecords, reference, type Rec } from './engineReference';

jest.setTimeout(120000);

export const TWENTY = [
  'SELECT count(*)',
  "SELECT count(*) WHERE status = 'error'",
  "SELECT user.lang, count(*) WHERE status = 'error' GROUP BY user.lang",
  "SELECT status, count(*), sum(price) WHERE status = 'error' GROUP BY status",
  'SELECT user.lang, avg(n), min(n), max(n) GROUP BY user.lang',
  'SELECT user.lang, status, count(*) AS c GROUP BY user.lang, status ORDER BY c DESC, user.lang, status LIMIT 5',
  "SELECT count(*) WHERE 'error' = status AND n > 50",
  "select count(*) where n > 50 and status = 'error'",
  "SELECT sum(price) WHERE name LIKE 'al%'",
  "SELECT count(*) WHERE msg CONTAINS 'timeout'",
  "SELECT count(*) WHERE msg MATCHES 'disk [0-9]+ full'",
  "SELECT user.lang, count(*) WHERE user.lang IN ('en', 'fr') GROUP BY user.lang",
  'SELECT count(*) WHERE user.lang IS NULL',
  "SELECT count(user.lang), count(*) WHERE NOT (status = 'ok' OR status = 'warn')",
  'SELECT id, price WHERE price > 990 ORDER BY price DESC, id LIMIT 10',
  "SELECT id, name WHERE status = 'error' LIMIT 7",
  'SELECT max(price), min(name) WHERE n <= 10 OR n >= 90',
  'SELECT status, count(*) WHERE user.lang IS NOT NULL GROUP BY status ORDER BY status',
  'SELECT user.lang, sum(price) AS total WHERE n != 3 GROUP BY user.lang ORDER BY total DESC LIMIT 2',
  "SELECT id WHERE msg CONTAINS 'timeout' AND price < 100 ORDER BY id DESC LIMIT 5",
];
/** status='error', n>50, name LIKE, msg CONTAINS, msg MATCHES, lang IN, lang IS NULL, status='ok', status='warn', price>990, n<=10, n>=90, n!=3, price<100. */
const DISTINCT_PREDICATES = 14;

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-queries-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function engine(dir: string, extra: Partial<ConstructorParameters<typeof QueryEngine>[0]> = {}): QueryEngine {
  // A clock that never ticks during the test: batches run when the test says (batchNow).
  return new QueryEngine({ watchDir: dir, format: 'jsonl', batchMs: 3_600_000, executors: 2, partitions: 3, ...extra });
}

test('20 queries share one scan; each result equals the query run alone; the counters prove it', async () => {
  const dir = tempDir();
  const e = engine(dir);
  await e.start();
  try {
    const ids = TWENTY.map((t) => e.add(t).id);
    const seen: Rec[] = [];
    const files = [makeRecords(700, 1), makeRecords(500, 2), makeRecords(800, 3), makeRecords(600, 4)];
    // Batch 1: two files; batches 2 and 3: one file each.
    dropFile(dir, 'a.jsonl', files[0]);
    dropFile(dir, 'b.jsonl', files[1]);
    await e.batchNow();
    seen.push(...files[0], ...files[1]);
    for (let i = 0; i < ids.length; i++) expect([TWENTY[i], e.get(ids[i])!.rows]).toEqual([TWENTY[i], reference(TWENTY[i], seen)]);
    dropFile(dir, 'c.jsonl', files[2]);
    await e.batchNow();
    dropFile(dir, 'd.jsonl', files[3]);
    await e.batchNow();
    await e.batchNow(); // nothing new: no job
    seen.push(...files[2], ...files[3]);
    for (let i = 0; i < ids.length; i++) {
      const r = e.get(ids[i])!;
      expect([TWENTY[i], r.rows]).toEqual([TWENTY[i], reference(TWENTY[i], seen)]);
      expect(r.batches).toBe(3);
      expect(r.columns.length).toBe(r.rows[0]?.length ?? r.columns.length);
    }
    const m = e.metrics();
    expect(m).toMatchObject({ files: 4, rowsParsed: 2600, batches: 3, jobs: 3, queries: 20, predicates: DISTINCT_PREDICATES });
    expect(m.predicateEvaluations).toBe(2600 * DISTINCT_PREDICATES);
    // Queries 7 and 8 are one WHERE; 3 and 4 share it with 2 but group differently.
    expect(m.filters).toBe(13);
    // Alone: a separate engine holding one query, over the same four files.
    for (const i of [2, 5, 14, 15]) {
      const alone = engine(dir, { includeExisting: true });
      await alone.start();
      const id = alone.add(TWENTY[i]).id;
      await alone.batchNow();
      expect(alone.get(id)!.rows).toEqual(e.get(ids[i])!.rows);
      expect(alone.metrics()).toMatchObject({ rowsParsed: 2600, jobs: 1 });
      await alone.stop();
    }
  } finally {
    await e.stop();
  }
});

test('queries come and go while files arrive: each covers the files after it was added, others keep their state', async () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'old.jsonl'), JSON.stringify({ n: 1 }) + '\n'); // there before start: skipped
  const e = engine(dir);
  const updates: string[] = [];
  e.on('update', (r) => updates.push(r.id));
  await e.start();
  try {
    const total = e.add('SELECT count(*), sum(n)').id;
    const f1 = makeRecords(300, 11);
    const f2 = makeRecords(200, 12);
    const f3 = makeRecords(400, 13);
    dropFile(dir, 'f1.jsonl', f1);
    await e.batchNow();
    const late = e.add("SELECT user.lang, count(*) WHERE status = 'ok' GROUP BY user.lang").id;
    const gone = e.add('SELECT count(*) WHERE n > 10').id;
    expect(e.get(late)).toMatchObject({ rows: [], batches: 0 });
    dropFile(dir, 'f2.jsonl', f2);
    await e.batchNow();
    expect(e.remove(gone)).toBe(true);
    expect(e.remove(gone)).toBe(false);
    expect(e.get(gone)).toBeUndefined();
    dropFile(dir, 'f3.jsonl', f3);
    await e.batchNow();
    expect(e.get(total)!.rows).toEqual(reference('SELECT count(*), sum(n)', [...f1, ...f2, ...f3]));
    expect(e.get(total)!.batches).toBe(3);
    expect(e.get(late)!.rows).toEqual(reference("SELECT user.lang, count(*) WHERE status = 'ok' GROUP BY user.lang", [...f2, ...f3]));
    expect(e.get(late)!.batches).toBe(2);
    expect(e.list().map((q) => q.id)).toEqual([total, late]);
    expect(e.metrics()).toMatchObject({ files: 3, rowsParsed: 900, jobs: 3, queries: 2 });
    // Batch 1: 1 predicate-free query; batch 2: n > 10 and status = 'ok'; batch 3: status = 'ok'.
    expect(e.metrics().predicateEvaluations).toBe(200 * 2 + 400 * 1);
    expect(updates.filter((id) => id === total).length).toBe(4); // added + 3 batches
  } finally {
    await e.stop();
  }
});

test('windows: the last n batches, the last n seconds', async () => {
  const dir = tempDir();
  const e = engine(dir);
  await e.start();
  try {
    const byBatches = e.add('SELECT count(*) WINDOW 2 BATCHES').id;
    const rowsWindow = e.add('SELECT id LIMIT 1000 WINDOW 2 BATCHES').id;
    const longSeconds = e.add('SELECT count(*), max(n) WINDOW 60 SECONDS').id;
    const bySeconds = e.add('SELECT count(*) WINDOW 1 SECONDS').id;
    const files = [makeRecords(100, 21), makeRecords(150, 22), makeRecords(170, 23)];
    for (let i = 0; i < 3; i++) {
      dropFile(dir, `w${i}.jsonl`, files[i]);
      await e.batchNow();
    }
    expect(e.get(byBatches)!.rows).toEqual([[320]]);
    expect(e.get(rowsWindow)!.rows).toEqual([...files[1], ...files[2]].map((r) => [r.id]));
    expect(e.get(longSeconds)!.rows).toEqual(reference('SELECT count(*), max(n)', files.flat()));
    // The last batch is in the 1-second window (how many before it depends on the batches' speed).
    expect(e.get(bySeconds)!.rows[0][0]).toBeGreaterThanOrEqual(170);
    await new Promise((r) => setTimeout(r, 1100));
    await e.batchNow(); // no files: no job, but the seconds window moves on
    expect(e.get(bySeconds)!.rows).toEqual([[0]]);
    expect(e.get(longSeconds)!.rows).toEqual(reference('SELECT count(*), max(n)', files.flat()));
    expect(e.get(byBatches)!.rows).toEqual([[320]]);
    expect(e.metrics().jobs).toBe(3);
  } finally {
    await e.stop();
  }
});

test('the clock runs batches by itself; csv with a header and text lines', async () => {
  const csvDir = tempDir();
  const textDir = tempDir();
  const csv = new QueryEngine({ watchDir: csvDir, format: 'csv', header: true, batchMs: 100, executors: 2 });
  const text = new QueryEngine({ watchDir: textDir, format: 'text', batchMs: 100, executors: 2 });
  await csv.start();
  await text.start();
  try {
    const byCity = csv.add('SELECT city, count(*), sum(amount) WHERE amount >= 10 GROUP BY city').id;
    const quoted = csv.add("SELECT note WHERE note CONTAINS ','").id;
    const errors = text.add("SELECT count(*) WHERE line LIKE '%ERROR%'").id;
    const last = text.add('SELECT line LIMIT 2').id;
    fs.writeFileSync(path.join(csvDir, '.t'), 'city,amount,note\nParis,10,plain\nOslo,5,"a, b"\nParis,32,"say ""hi"""\nOslo,12,\n');
    fs.renameSync(path.join(csvDir, '.t'), path.join(csvDir, 'x.csv'));
    fs.writeFileSync(path.join(textDir, '.t'), 'INFO start\nERROR disk\nWARN slow\nERROR net\n');
    fs.renameSync(path.join(textDir, '.t'), path.join(textDir, 'log.txt'));
    const deadline = Date.now() + 20000;
    while ((csv.metrics().batches < 1 || text.metrics().batches < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(csv.get(byCity)!.rows).toEqual([
      ['Oslo', 1, 12],
      ['Paris', 2, 42],
    ]);
    expect(csv.get(quoted)!.rows).toEqual([['a, b']]);
    expect(text.get(errors)!.rows).toEqual([[2]]);
    expect(text.get(last)!.rows).toEqual([['WARN slow'], ['ERROR net']]);
    expect(csv.metrics()).toMatchObject({ rowsParsed: 4, jobs: 1 });
  } finally {
    await csv.stop();
    await text.stop();
  }
});

test('whole records with *, lines that are not JSON, CSV without a header', async () => {
  const dir = tempDir();
  const csvDir = tempDir();
  const e = engine(dir);
  const csv = engine(csvDir, { format: 'csv' });
  await e.start();
  await csv.start();
  try {
    const star = e.add('SELECT *, n WHERE n >= 2 ORDER BY n DESC').id;
    const all = e.add('SELECT count(*)').id;
    fs.writeFileSync(path.join(dir, 'x.jsonl'), '{"n": 1}\nnot json\n\n{"n": 3, "tag": {"a": [1]}}\n{"n": 2}\n[5]\n');
    await e.batchNow();
    expect(e.get(star)!.rows).toEqual([
      [{ n: 3, tag: { a: [1] } }, 3],
      [{ n: 2 }, 2],
    ]);
    // Four JSON values (the array is a record without fields), one bad line, one blank line skipped.
    expect(e.get(all)!.rows).toEqual([[4]]);
    expect(e.metrics()).toMatchObject({ rowsParsed: 4, badRows: 1 });
    const byFirst = csv.add('SELECT c1, count(*), sum(c2) WHERE c3 IS NOT NULL GROUP BY c1').id;
    fs.writeFileSync(path.join(csvDir, 'y.csv'), 'a,1,x\nb,2,\na,3,y\n');
    await csv.batchNow();
    expect(csv.get(byFirst)!.rows).toEqual([['a', 2, 4]]);
  } finally {
    await e.stop();
    await csv.stop();
  }
});
