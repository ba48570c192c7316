// Measuring one command for `npm run bench`: wall time, CPU time and peak RSS of its whole
// process tree.
//
// The command runs as `/usr/bin/time -f '%U %S %M' sh -c CMD` (GNU time).
// - wall: spawn to exit.
// - cpu:  user + sys seconds that GNU time reports for `sh`: the rusage wait4 returns, which
//         includes every waited-for descendant (threads, pipelines, grandchildren); plus the CPU
//         the `extraPids` (a cluster's master and agents) used meanwhile, from /proc/PID/stat.
//         Without /usr/bin/time, the shell's `times` builtin gives the same children's CPU.
// - rss:  the largest sum of VmRSS over the tree (`sh` and its descendants, plus `extraPids`)
//         seen by sampling /proc every SAMPLE_MS; since a sample can miss a short peak or a
//         short-lived process, the result is at least the largest peak RSS of any single process
//         of the tree (GNU time's %M: the maxrss wait4 reports, the largest over the tree) and
//         its VmHWM readings. So it is exact for one process or sequential processes, and a
//         sampled sum for concurrent ones (a pipeline). MB are 10^6 bytes.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const SAMPLE_MS = 20;
/** New processes are looked for in /proc less often than known ones are read. */
const SCAN_EVERY = 5;
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** VmRSS and VmHWM of a live process in bytes, or null when it is gone. */
function procMem(pid) {
  let st;
  try {
    st = fs.readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return null;
  }
  const kb = (k) => {
    const m = new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(st);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** User + system CPU seconds of a live process (all its threads), or null. */
function procCpu(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}

/** pid -> parent pid of every process on the machine. */
function parents() {
  const out = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
      out.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The descendants of `rootPid` (not itself). */
function descendants(rootPid) {
  const pp = parents();
  const out = new Set();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of pp) {
      if (!out.has(pid) && (ppid === rootPid || out.has(ppid))) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Runs `sh -c cmd` in the repository root. Resolves { wall, cpu, rss } (seconds, seconds, bytes);
 * rejects with the command's output when it fails.
 */
function measure(name, cmd, { env, extraPids = [] } = {}) {
  const timeFile = path.join(os.tmpdir(), `gleam-bench-time-${process.pid}-${Date.now()}`);
  const [file, args] = GNU_TIME
    ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, 'sh', '-c', cmd]]
    : ['sh', ['-c', `${cmd}\ns=$?; times >&3; exit $s`]];
  const extraCpu0 = extraPids.map(procCpu);
  const t0 = process.hrtime.bigint();
  const child = spawn(file, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const bufs = { out: [], err: [], times: [] };
  child.stdout.on('data', (b) => bufs.out.push(b));
  child.stderr.on('data', (b) => bufs.err.push(b));
  child.stdio[3].on('data', (b) => bufs.times.push(b));
  let tree = new Set();
  let tick = 0;
  let peakSum = 0;
  let peakOne = 0;
  const sample = () => {
    if (tick++ % SCAN_EVERY === 0 || tree.size < 2) tree = descendants(child.pid);
    let sum = 0;
    for (const pid of [...tree, ...extraPids]) {
      const m = procMem(pid);
      if (!m) continue;
      sum += m.rss;
      // A cluster's servers were running before: their lifetime peak is not this command's.
      if (!extraPids.includes(pid)) peakOne = Math.max(peakOne, m.hwm);
    }
    peakSum = Math.max(peakSum, sum);
  };
  const timer = setInterval(sample, SAMPLE_MS);
  sample();
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearInterval(timer);
      reject(new Error(`${name}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const stderr = Buffer.concat(bufs.err).toString();
      if (code !== 0) {
        fs.rmSync(timeFile, { force: true });
        reject(new Error(`${name} failed (exit ${code}): ${cmd}\n${stderr.slice(-4000)}${Buffer.concat(bufs.out).toString().slice(-2000)}`));
        return;
      }
      if (stderr.trim()) process.stderr.write(`[bench] ${name} stderr: ${stderr.slice(0, 2000)}\n`);
      let cpu = null;
      if (GNU_TIME) {
        const f = fs.readFileSync(timeFile, 'latin1').trim().split('\n').pop().split(' ').map(Number);
        fs.rmSync(timeFile, { force: true });
        if (f.length === 3 && f.every(Number.isFinite)) {
          cpu = f[0] + f[1];
          peakOne = Math.max(peakOne, f[2] * 1024);
        }
      } else {
        const secs = (Buffer.concat(bufs.times).toString().trim().split('\n')[1] || '').split(/\s+/).map((t) => {
          const m = /^(\d+)m([\d.]+)s$/.exec(t);
          return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
        });
        if (secs.length === 2 && secs.every(Number.isFinite)) cpu = secs[0] + secs[1];
      }
      extraPids.forEach((pid, i) => {
        const c = procCpu(pid);
        if (cpu != null && c != null && extraCpu0[i] != null) cpu += c - extraCpu0[i];
      });
      resolve({ wall, cpu, rss: Math.max(peakSum, peakOne) });
    });
  });
}

/** VmRSS of a process and its descendants, in bytes (0 when it is gone). */
function treeRss(pid) {
  let sum = 0;
  for (const p of [pid, ...descendants(pid)]) sum += (procMem(p) || { rss: 0 }).rss;
  return sum;
}

module.exports = { measure, procMem, procCpu, treeRss };
