// examples/delegate.ts as users run it (ts-node and `gleam run`): it starts its own scoring
// service, delegates every distinct word to it and prints the 10 words with most vowels.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gleam, repoRoot, tsNode } from '../helpers/runNode';

jest.setTimeout(120000);

function expected(): string {
  const text = fs.readFileSync(path.join(repoRoot, 'examples', 'data', 'sample.txt'), 'utf8').toLowerCase();
  const words = [...new Set(text.split(/[^a-z]+/).filter(Boolean))];
  const rows = words.map((w) => [w, w.length, (w.match(/[aeiou]/g) ?? []).length] as const);
  rows.sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return ['word\tletters\tvowels', ...rows.slice(0, 10).map((r) => r.join('\t'))].join('\n') + '\n';
}

test('delegate.ts prints the words its own service scored, with ts-node and gleam run', async () => {
  const want = expected();
  for (const r of [await tsNode(['examples/delegate.ts']), await gleam(['run', 'examples/delegate.ts', '--executors', '2', '--partitions', '3'])]) {
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(want);
  }
});
