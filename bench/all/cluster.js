// The cluster figures of `npm run bench`: a master and 2 agents (1 executor and --memory 256
// each, so the cluster has the 2 slots of local mode's 2 executors) on 127.0.0.1; their RSS at
// rest; a word count on the cluster against the same flow in local mode (alternating, medians);
// and each agent's RSS `settle` seconds after the last job against its RSS at rest.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureCorpus } = require('../benchData');
const { startCluster, stopCluster, sleep } = require('../benchCluster');
const { sq } = require('../timing');
const { readGleam } = require('../wordcount/outputs');
const { measure, procMem, treeRss } = require('./measure');
const { sameCounts } = require('./jobs');

const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/**
 * Resolves { rows, notes }: table rows for the cluster word count (ours = cluster, baseline =
 * local) and for the memory at rest, in the shape bench/all/run.js prints.
 */
async function clusterFigures({ scale, runs, settle, idleWait, tmp }) {
  const mb = Math.max(1, Math.round(50 * scale));
  const corpus = ensureCorpus(mb);
  const wc = path.join(__dirname, '..', 'distributed', 'gleam-wordcount.js');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-bench-cluster-'));
  let cluster;
  try {
    log(`starting a master and 2 agents (logs in ${workDir})`);
    cluster = await startCluster({ agents: 2, executors: 1, memoryMb: 256, workDir });
    const servers = [cluster.masterProc.proc.pid, ...cluster.agents.map((a) => a.proc.proc.pid)];
    await sleep(idleWait * 1000);
    const idle = servers.map(treeRss);
    log(`at rest after ${idleWait} s: master ${mb1(idle[0])} MB, agents ${idle.slice(1).map(mb1).join(', ')} MB`);
    const contenders = [
      { tool: `cluster (master + 2 agents × 1 executor)`, where: cluster.master, extraPids: servers, times: [] },
      { tool: 'local (2 executors)', where: 'local', extraPids: [], times: [] },
    ];
    let verified = '';
    for (let run = 1; run <= runs; run++) {
      const outs = [];
      for (const c of contenders) {
        const out = path.join(tmp, `cluster-wc-${c.where === 'local' ? 'local' : 'cluster'}`);
        const t = await measure(`cluster word count (${c.where})`, `rm -rf ${sq(out)} && ${sq(process.execPath)} ${sq(wc)} ${sq(corpus)} ${sq(out)} ${sq(c.where)} 2`, { extraPids: c.extraPids });
        c.times.push(t);
        outs.push(out);
        log(`run ${run}/${runs} word count ${mb} MB ${c.tool}: ${t.wall.toFixed(2)} s wall, ${t.cpu == null ? '?' : t.cpu.toFixed(2)} s cpu, ${mb1(t.rss)} MB`);
      }
      verified = sameCounts(readGleam(outs[0]), readGleam(outs[1]), 'local');
    }
    // VmHWM: each server's own peak over its life, i.e. during the jobs (it was idle before).
    const peaks = servers.map((pid) => (procMem(pid) || { hwm: null }).hwm);
    log(`waiting ${settle} s after the last job for the agents to settle`);
    await sleep(settle * 1000);
    const after = servers.map(treeRss);
    const [ours, local] = contenders;
    const stat = (c, k) => median(c.times.map((t) => t[k]));
    const rows = [
      { job: `word count ${mb} MB on a cluster`, tool: ours.tool, wall: stat(ours, 'wall'), cpu: stat(ours, 'cpu'), rss: stat(ours, 'rss'), ours: true, note: 'CPU and RSS include master and agents' },
      { job: '', tool: local.tool, wall: stat(local, 'wall'), cpu: stat(local, 'cpu'), rss: stat(local, 'rss'), verified },
      { job: 'memory at rest', tool: `master, ${idleWait} s after start`, rss: idle[0], note: 'target ≤ 50 MB' },
      ...cluster.agents.map((a, i) => ({ job: '', tool: `agent ${i + 1}, ${idleWait} s after start`, rss: idle[i + 1], note: 'target ≤ 50 MB' })),
      ...cluster.agents.map((a, i) => ({ job: '', tool: `agent ${i + 1}, ${settle} s after the last job`, rss: after[i + 1], note: `${(after[i + 1] / idle[i + 1]).toFixed(2)}× its RSS at rest (target ≤ 1.2×)` })),
      { job: '', tool: `master, ${settle} s after the last job`, rss: after[0] },
      { job: 'peak RSS per process during the cluster jobs', tool: 'master (VmHWM)', rss: peaks[0] },
      ...cluster.agents.map((a, i) => ({ job: '', tool: `agent ${i + 1} (VmHWM)`, rss: peaks[i + 1] })),
    ];
    return rows;
  } finally {
    await stopCluster(cluster);
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

const mb1 = (b) => (b / 1e6).toFixed(1);

module.exports = { clusterFigures };
