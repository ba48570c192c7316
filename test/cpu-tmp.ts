import { startCluster } from '/work/main/test/helpers/cluster';
import { Flow } from '@gleam/flow-dsl';
import * as fs from 'node:fs';
const cpu = (pid: number) => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return (Number(x[11]) + Number(x[12])) / 100; };
(async () => {
  const c = await startCluster({ agents: 2, executors: 2 });
  try {
    await new Flow('warm').parallelize([1, 2, 3, 4], 4).count({ master: c.master });
    const pids = { master: c.masterProc.pid!, a0: c.agents[0].proc.pid!, a1: c.agents[1].proc.pid!, driver: process.pid };
    const before = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpu(p)]));
    const t = Date.now();
    let first = 0, last = 0;
    const n = await new Flow('tiny').parallelize(Array.from({ length: 2000 }, (_, i) => i), 2000).map((x: number) => x + 1).count({ master: c.master, onEvent: (e) => { if (e.type === 'taskStarted' && !first) first = Date.now(); if (e.type === 'taskFinished') last = Date.now(); } });
    const wall = Date.now() - t;
    const after = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, cpu(p)]));
    console.log('tasks', n, 'wall ms', wall, 'tasks span', last - first, 'cpu s', Object.fromEntries(Object.keys(pids).map((k) => [k, +(after[k] - before[k]).toFixed(2)])));
  } finally { await c.stop(); }
})();
