// A file sink's part file when the job fails under it: the driver aborts the sink while the
// partition reader may still deliver rows. Writes after the abort are dropped (no unhandled
// 'error' event, no wait for a 'drain' that never comes); a write error reaches the next write.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PartFile } from '../src/sinks/partFile';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'part-file-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('writes land in part-NNNNN; close flushes them', async () => {
  const part = new PartFile(dir);
  expect(part.open(3)).toBe('part-00003');
  await part.write('a\tb\n');
  await part.write(Buffer.from('c\n'));
  await part.close();
  expect(fs.readFileSync(path.join(dir, 'part-00003'), 'utf8')).toBe('a\tb\nc\n');
});

test('after destroy(), writes (even a pending drain) and new partitions are dropped quietly', async () => {
  const part = new PartFile(dir);
  part.open(0);
  // A write large enough to need a drain, then the abort: the wait ends with the stream's close.
  const pending = part.write(Buffer.alloc(1 << 20));
  expect(pending).toBeInstanceOf(Promise);
  await part.destroy();
  await expect(pending).resolves.toBeUndefined();
  expect(part.write('late rows\n')).toBeUndefined();
  expect(part.open(1)).toBe('part-00001');
  expect(part.write('more\n')).toBeUndefined();
  await part.close();
  expect(fs.readdirSync(dir).sort()).toEqual(['part-00000']); // nothing written after the abort
});

test('a write error (the directory is gone) is thrown to the next write and to close, not emitted unhandled', async () => {
  const part = new PartFile(path.join(dir, 'missing'));
  part.open(0);
  await new Promise((r) => setTimeout(r, 50)); // the open fails with ENOENT
  expect(() => part.write('x\n')).toThrow(/ENOENT/);
  await expect(part.close()).rejects.toThrow(/ENOENT/);
  part.open(1);
  await new Promise((r) => setTimeout(r, 50));
  await expect(part.close()).rejects.toThrow(/ENOENT/);
});
