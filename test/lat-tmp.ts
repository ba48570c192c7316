import { startCluster } from '/work/main/test/helpers/cluster';
import { createAgentClient, unary, readShardsFrames, callMetadata } from '@gleam/proto';
(async () => {
  const c = await startCluster({ agents: 1, executors: 2 });
  try {
    const cl = createAgentClient(c.agents[0].address);
    for (let round = 0; round < 2; round++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) await unary(cl.Status.bind(cl), {}, callMetadata(undefined), 5000);
      console.log('Status unary avg ms', Number(process.hrtime.bigint() - t) / 1e6 / 200);
      t = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) { for await (const f of readShardsFrames(cl, ['nope-x'], { section: 0 })) void f; }
      console.log('ReadShards (missing→wait?) avg ms', Number(process.hrtime.bigint() - t) / 1e6 / 200);
    }
  } catch (e) { console.log('err', e); } finally { await c.stop(); }
})();
