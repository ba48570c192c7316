import { startCluster } from '/work/main/test/helpers/cluster';
import { Flow } from '@gleam/flow-dsl';
(async () => {
  const c = await startCluster({ agents: 2, executors: 2 });
  try {
    for (let k = 0; k < 2; k++) {
      const t = Date.now();
      const marks: Record<string, number> = {};
      let durs = 0, n = 0;
      const rows = await new Flow('p').parallelize(Array.from({ length: 11 }, (_, i) => i), 1000).partition(2001).collect({ master: c.master, onEvent: (e) => {
        if (e.type === 'jobStarted') marks.planned = Date.now() - t;
        if (e.type === 'taskStarted' && !marks.firstTask) marks.firstTask = Date.now() - t;
        if (e.type === 'taskFinished') { marks.lastTask = Date.now() - t; durs += e.stats.millis; n++; }
      } });
      console.log(rows.length, Date.now() - t, 'ms', marks, 'task ms avg', durs / n);
    }
    const t = Date.now();
    let last = 0;
    const n = await new Flow('tiny').parallelize(Array.from({ length: 10000 }, (_, i) => i), 10000).map((x: number) => x + 1).count({ master: c.master, onEvent: (e) => { if (e.type === 'taskFinished') last = Date.now() - t; } });
    console.log('10k tasks', n, Date.now() - t, 'ms, last task at', last);
  } finally { await c.stop(); }
})();
