// Timing of shell commands for the benchmark runners: wall clock from spawn to exit, and the
// CPU seconds of every process the command started (the shell's `times`).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/** Single-quotes a value for sh. */
const sq = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;

/**
 * Runs `sh -c CMD` in the repository root; returns wall seconds and the CPU seconds (user + sys)
 * of all its children, which the shell's `times` builtin reports on fd 3. Throws with the
 * command's output if it fails.
 */
function timed(name, cmd) {
  const script = `${cmd}\ns=$?; times >&3; exit $s`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync('sh', ['-c', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const stdout = r.stdout ? r.stdout.toString() : '';
  const stderr = r.stderr ? r.stderr.toString() : '';
  if (r.error || r.status !== 0) {
    throw new Error(`${name} failed (${r.error ? r.error.message : `exit ${r.status}`}): ${cmd}\n${stderr}${stdout}`);
  }
  if (stdout.trim()) process.stderr.write(`[bench] warning: ${name} printed to stdout: ${stdout.slice(0, 200)}\n`);
  if (stderr.trim()) process.stderr.write(`[bench] ${name} stderr: ${stderr.slice(0, 2000)}\n`);
  const lines = (r.output[3] || '').toString().trim().split('\n');
  const secs = (lines[1] || '').split(/\s+/).map((t) => {
    const m = /^(\d+)m([\d.]+)s$/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  });
  const cpu = secs.length === 2 && secs.every(Number.isFinite) ? secs[0] + secs[1] : null;
  return { wall, cpu };
}

module.exports = { sq, timed };
