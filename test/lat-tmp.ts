import { startCluster } from '/work/main/test/helpers/cluster';
import { createAgentClient, callMetadata, unary } from '@gleam/proto';
import { encodeValue, type TaskGroupSpec } from '@gleam/executor';
(async () => {
  const c = await startCluster({ agents: 1, executors: 2 });
  try {
    const cl = createAgentClient(c.agents[0].address);
    const run = (i: number) => new Promise<void>((resolve, reject) => {
      const spec: TaskGroupSpec = { id: `t${i}`, name: `T.${i}`, stepGroup: 0, partition: i, input: { kind: 'rows', frames: [], rows: 0, step: 'x' }, instructions: [], output: { kind: 'shard', shard: `jlat/o${i}` } };
      const call = cl.ExecuteTask({ jobId: 'jlat', task: encodeValue(spec), shardLocations: {} }, callMetadata(undefined));
      call.on('data', (ev: any) => { if (ev.done) resolve(); if (ev.failed) reject(new Error(ev.failed.message)); });
      call.on('error', reject);
    });
    for (let round = 0; round < 3; round++) {
      let t = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) await run(i);
      console.log('sequential ExecuteTask avg ms', Number(process.hrtime.bigint() - t) / 1e6 / 200);
      t = process.hrtime.bigint();
      for (let i = 0; i < 200; i++) await unary(cl.Status.bind(cl), {}, callMetadata(undefined), 5000);
      console.log('Status unary avg ms', Number(process.hrtime.bigint() - t) / 1e6 / 200);
      await unary(cl.DeleteShards.bind(cl), { prefix: 'jlat/' }, callMetadata(undefined), 5000);
    }
  } catch (e) { console.log('err', e); } finally { await c.stop(); }
})();
