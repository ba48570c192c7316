// Runs a hygiene case and checks its exact result or exact error message.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunOptions } from '@gleam/flow-dsl';
import type { HygieneCase } from './cases';

export async function checkCase(c: HygieneCase, opts: RunOptions): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-hygiene-'));
  try {
    let result: unknown;
    let error: Error | undefined;
    try {
      result = await c.run(opts, dir);
    } catch (e) {
      error = e as Error;
    }
    if (c.error !== undefined) {
      expect(error?.message ?? `no error; result: ${JSON.stringify(result)}`).toEqual(typeof c.error === 'string' ? c.error : expect.stringMatching(c.error));
    } else {
      if (error) throw error;
      if (c.expected === 'same') {
        const [got, want] = result as [unknown, unknown];
        expect(got).toEqual(want);
      } else expect(result).toEqual(c.expected);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
