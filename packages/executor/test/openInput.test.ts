// Task-side guard: an input that became a FIFO (or was one on the agent) is refused at once
// instead of blocking the open until a writer comes.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCsvFile } from '../src/task/csvReader';
import { readTextSplit } from '../src/task/textSplitReader';

test('text and csv readers refuse a FIFO without blocking', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-open-'));
  try {
    const fifo = path.join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextSplit(fifo, 0, 1, 'textFile#1', () => {}, () => false)).rejects.toThrow(
      `step "textFile#1": ${fifo} is a FIFO (named pipe); textFile reads regular files — use source() to read a stream`,
    );
    await expect(readCsvFile(fifo, { delimiter: ',', header: false, step: 'csv#1' }, () => {}, () => false)).rejects.toThrow(
      `step "csv#1": ${fifo} is a FIFO (named pipe); csv reads regular files — use source() to read a stream`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 10000);

test('a zero-size file with content (/proc) is read to its end', async () => {
  const lines: string[] = [];
  await readTextSplit('/proc/filesystems', 0, 1, 'textFile#1', (ls) => void lines.push(...ls), () => false);
  expect(lines).toEqual(fs.readFileSync('/proc/filesystems', 'utf8').replace(/\n$/, '').split('\n'));
});
