// CI's type check: every example and the type tests of this folder (*.types.ts: what must
// compile, with exact row types, and what must not, as @ts-expect-error) under tsc --strict.
// Reads the built declarations of @gleam/flow-dsl, as the other tests read its built code.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

test('examples and type tests compile under tsc --strict --noEmit', () => {
  const r = spawnSync(process.execPath, [tsc, '--strict', '--noEmit', '-p', path.join(__dirname, 'tsconfig.json')], { cwd: root, encoding: 'utf8', timeout: 150_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  expect({ status: r.status, output }).toEqual({ status: 0, output: '' });
}, 180_000);
