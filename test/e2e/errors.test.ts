// Bad input gets one clear message naming the step and the cause, and a non-zero exit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../helpers/runNode';

const dsl = JSON.stringify(require.resolve('@gleam/flow-dsl'));
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-errors-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function script(name: string, body: string) {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, `const { Flow } = require(${dsl});\nconst fs = require('fs');\n${body}\n`);
  return run(process.execPath, [file], { timeoutMs: 30000 });
}

describe('clear errors and non-zero exit', () => {
  test('UDF syntax error is reported before anything runs, naming the step', async () => {
    const marker = path.join(dir, 'syntax-ran');
    const r = await script(
      'syntax',
      `new Flow('t').source(function* () { fs.writeFileSync(${JSON.stringify(marker)}, 'ran'); yield 'a'; })
        .map('(x) => x +').printf('%s\\n').run();`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gleam: step "map#2": the UDF does not compile: Unexpected token/);
    expect(r.stderr).toContain('source: (x) => x +');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no bare stack trace
    expect(fs.existsSync(marker)).toBe(false);
  });

  test('UDF exception names the step, the row and shows the UDF stack', async () => {
    const r = await script(
      'throws',
      `new Flow('t').ints([1, 2, 3, 4]).map((x) => { if (x === 3) throw new RangeError('three is not allowed'); return [x, 1]; })
        .reduceBy((a, b) => a + b).printf('%d %d\\n').run({ executors: 2 });`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('gleam: step "map#2": the UDF threw RangeError: three is not allowed');
    expect(r.stderr).toContain('row: [3]');
    expect(r.stderr).toMatch(/UDF stack:\n\s+at /);
  });

  test('a UDF that uses a closure variable says to pass it through params', async () => {
    const r = await script('closure', `const factor = 3;\nnew Flow('t').ints([1]).map((x) => x * factor).printf('%d\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "map#2": the UDF uses "factor", which is not defined inside it');
    expect(r.stderr).toContain('{ params: { factor } }');
    expect(r.stderr).toContain('params.factor');
  });

  test('params make the same UDF work', async () => {
    const r = await script('params', `new Flow('t').ints([1, 2]).map((x) => x * params.factor, { params: { factor: 3 } }).printf('%d\\n').run({ executors: 1 });`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('3\n6\n');
  });

  test('missing input file', async () => {
    const r = await script('missing', `new Flow('t').textFile('/nonexistent/dir/input.txt').printf('%s\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gleam: step "textFile#1": input file not found: /nonexistent/dir/input.txt\n');
  });

  test('glob that matches nothing', async () => {
    const r = await script('noglob', `new Flow('t').textFile(${JSON.stringify(path.join(dir, 'nothing-*.txt'))}).printf('%s\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "textFile#1": no input file matches');
  });

  test('pipe command not found', async () => {
    const r = await script('notfound', `new Flow('t').strings(['a', 'b']).pipe('no_such_command_gleam').printf('%s\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "pipe#2" failed: command not found');
    expect(r.stderr).toContain('no_such_command_gleam');
  });

  test('pipe command exiting non-zero', async () => {
    const r = await script('exit3', `new Flow('t').strings(['a']).pipe("cat; echo 'disk on fire' >&2; exit 3").printf('%s\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "pipe#2" failed: command');
    expect(r.stderr).toContain('exited with code 3');
    expect(r.stderr).toContain('disk on fire');
  });

  test('field number 0 in by is rejected when the step is built', async () => {
    const r = await script('by0', `new Flow('t').strings(['a']).map((x) => [x, 1]).reduceBy((a, b) => a + b, { by: [0] }).printf('%s\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gleam: step "reduceBy#3": by must list field numbers starting at 1 (fields are 1-based), got 0\n');
  });

  test('a by field beyond the row is reported with the row', async () => {
    const r = await script('by3', `new Flow('t').strings(['a']).map((x) => [x, 1]).groupBy({ by: [3] }).printf('%s\\n').run({ executors: 1 });`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step "groupBy#3": by names field 3, but the row has 2 fields');
    expect(r.stderr).toContain('row: ["a",1]');
  });

  test('a sort direction that is not asc/desc', async () => {
    const r = await script('dir', `new Flow('t').ints([1]).sort({ by: [[1, 'up']] }).printf('%d\\n').run();`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`step "sort#2": sort direction must be 'asc' or 'desc'`);
  });

  test('an action on a failing flow rejects with the error (no exit), so callers can catch it', async () => {
    const r = await script(
      'catch',
      `new Flow('t').ints([1]).map((x) => { throw new Error('nope'); }).collect({ executors: 1 })
         .then(() => console.log('resolved'), (e) => console.log('caught:', e.message.split('\\n')[0]));`,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('caught: step "map#2": the UDF threw Error: nope\n');
  });
});
