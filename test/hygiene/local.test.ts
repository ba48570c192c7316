// The hygiene cases in local mode (2 executor threads), and what only a driver process shows.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../helpers/runNode';
import { cases } from './cases';
import { checkCase } from './support';

jest.setTimeout(30000);

test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
  await checkCase(c, { executors: 2 });
});

test("GLEAM_PIPE_IDLE_MS in the driver's environment sets the default idle bound of local pipes", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-idle-env-'));
  try {
    const file = path.join(dir, 'idle.js');
    fs.writeFileSync(file, `const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});\nnew Flow('t').strings(['a']).pipe('sleep 100000').printf('%s\\n').run({ executors: 1 });\n`);
    const started = Date.now();
    const r = await run(process.execPath, [file], { env: { GLEAM_PIPE_IDLE_MS: '700' }, timeoutMs: 20000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gleam: step \"pipe#2\" failed: command 'sleep 100000' neither read input nor wrote output for 700 ms (idleTimeoutMs; the default is GLEAM_PIPE_IDLE_MS or 600000), and was killed\n");
    expect(Date.now() - started).toBeLessThan(10000);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
