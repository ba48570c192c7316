#!/usr/bin/env node
// Packs every publishable package (packages/* and proto/) into npm tarballs with pnpm, which
// rewrites the `workspace:*` dependencies to real versions (npm pack would leave them as they
// are and the tarballs would not install). Prints one tarball path a line.
//   node scripts/pack.js [destination]   (default: ./packed; builds first)
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pnpmVersion = require(path.join(root, 'package.json')).packageManager.split('@')[1];

function packAll(dest) {
  fs.mkdirSync(dest, { recursive: true });
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  execFileSync(npx, ['--yes', `pnpm@${pnpmVersion}`, '-r', '--filter', './packages/*', '--filter', './proto', 'pack', '--pack-destination', dest], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, npm_config_yes: 'true' },
  });
  const made = fs.readdirSync(dest).filter((f) => f.endsWith('.tgz'));
  if (!made.length) throw new Error(`pack: pnpm made no tarballs in ${dest}`);
  return made.sort().map((f) => path.join(dest, f));
}

module.exports = { packAll };

if (require.main === module) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'setup.js'), '--build-only', '--quiet'], { stdio: 'inherit' });
  for (const f of packAll(path.resolve(process.argv[2] || path.join(root, 'packed')))) process.stdout.write(`${f}\n`);
}
