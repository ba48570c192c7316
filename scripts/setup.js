#!/usr/bin/env node
// Installs dependencies (pinned pnpm through npx, frozen lockfile) and builds the
// TypeScript packages when anything is missing or stale. Needs only Node 20 and npm.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const pnpmVersion = require(path.join(root, 'package.json')).packageManager.split('@')[1];
const quiet = process.argv.includes('--quiet');
const log = (msg) => { if (!quiet) process.stderr.write(`[setup] ${msg}\n`); };

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'], env: { ...process.env, npm_config_yes: 'true' } });
}

function needsInstall() {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  if (!fs.existsSync(marker)) return true;
  const lock = path.join(root, 'pnpm-lock.yaml');
  return fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs;
}

if (!process.argv.includes('--build-only') && needsInstall()) {
  log(`installing dependencies with pnpm ${pnpmVersion} (frozen lockfile)`);
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  run(npx, ['--yes', `pnpm@${pnpmVersion}`, 'install', '--frozen-lockfile', '--config.confirmModulesPurge=false']);
}
log('building TypeScript packages (tsc -b, incremental)');
run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', path.join(root, 'tsconfig.json')]);
