// Planner mode prints step groups and task groups and runs nothing; golden files pin the text.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gleam, repoRoot, run } from '../helpers/runNode';

const golden = (name: string) => fs.readFileSync(path.join(repoRoot, 'test', 'golden', name), 'utf8');

describe('planner mode', () => {
  test.each([
    ['examples/wordcount.ts', 'plan-wordcount.txt'],
    ['examples/sort.ts', 'plan-sort.txt'],
    ['test/fixtures/plan-mixed.ts', 'plan-mixed.txt'],
    ['test/fixtures/plan-joins.ts', 'plan-joins.txt'],
    ['test/fixtures/plan-reuse.ts', 'plan-reuse.txt'],
  ])('gleam plan %s prints the golden plan', async (script, file) => {
    const r = await gleam(['plan', script, '--executors', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(golden(file));
  });

  test('GLEAM_PLAN=1 and run({ plan: true }) print the same plan and run nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-plan-'));
    const marker = path.join(dir, 'ran');
    const script = path.join(dir, 'flow.js');
    fs.writeFileSync(
      script,
      `const { Flow } = require(${JSON.stringify(require.resolve('@gleam/flow-dsl'))});
       const fs = require('fs');
       const flow = new Flow('side effects');
       flow.source(function* () { fs.writeFileSync(${JSON.stringify(marker)}, 'x'); yield 1; })
         .map('(x) => x + 1').output(() => fs.writeFileSync(${JSON.stringify(marker)}, 'y'));
       flow.run(process.argv[2] === 'opt' ? { plan: true, executors: 2 } : { executors: 2 });`,
    );
    try {
      const viaEnv = await run(process.execPath, [script], { env: { GLEAM_PLAN: '1' } });
      const viaOpt = await run(process.execPath, [script, 'opt']);
      expect(viaEnv.code).toBe(0);
      expect(viaEnv.stdout).toContain('=== task execution groups ===');
      expect(viaEnv.stdout).toContain('=== step groups ===');
      expect(viaEnv.stdout).toContain('step: Source');
      expect(viaOpt.stdout).toBe(viaEnv.stdout);
      expect(fs.existsSync(marker)).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
