import { startCluster } from '/work/main/test/helpers/cluster';
import { Flow } from '@gleam/flow-dsl';
(async () => {
  const c = await startCluster({ agents: 3, executors: 2, agentTimeoutMs: 3000, heartbeatMs: 500 });
  try {
    const mode = process.argv[2] ?? 'kill';
    let killed = false;
    const t0 = Date.now();
    const events: string[] = [];
    const rows = await new Flow('rec').parallelize(Array.from({ length: 4000 }, (_, i) => i), 8).pipe('sleep 1; cat').map((x: string) => [Number(x) % 10, 1]).reduceBy((a: number, b: number) => a + b).collect({
      master: c.master,
      onEvent: (e) => {
        if (e.type === 'taskStarted') console.log(`${Date.now() - t0} start ${e.task} @${e.location} a${e.attempt}`);
        if (e.type === 'taskFinished') console.log(`${Date.now() - t0} done ${e.task} @${e.location}`);
        if (e.type === 'taskStarted' && !killed && e.location === c.agents[0].address) {
          killed = true;
          setTimeout(() => { console.log(`${Date.now() - t0} ${mode} agent0`); if (mode === 'kill') c.killAgent(0); else c.agents[0].proc.kill('SIGSTOP'); }, 300);
        }
      },
    });
    console.log(events.join('\n'));
    console.log('rows', JSON.stringify(rows.sort((a: any, b: any) => a[0] - b[0])), Date.now() - t0, 'ms');
  } catch (e) { console.log('FAILED', (e as Error).message); } finally { try { c.agents[0].proc.kill('SIGCONT'); } catch {} await c.stop(); }
})();
