// One stream, two places: the same socket lines go to a stream run locally and to the same stream
// run on a real master + 2 agents; every batch's word counts and running totals must agree. The
// running totals (updateStateByKey) live in shards on the agents between batches, the master's
// status shows the stream while it runs, and stopping it deletes what it kept.
import { Flow, type BatchInfo, type DStream, type StreamingContext } from '@gleam/flow-dsl';
import { callMetadata, createMasterClient, unary, type ClusterStatusResponse__Output, type MasterClient } from '@gleam/proto';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { lineServer, sorted, waitFor } from './helpers';

jest.setTimeout(120000);

let cluster: TestCluster;
let client: MasterClient;

beforeAll(async () => {
  cluster = await startCluster({ agents: 2 });
  client = createMasterClient(cluster.master);
}, 60000);

afterAll(async () => {
  client?.close();
  await cluster?.stop();
}, 30000);

function status(): Promise<ClusterStatusResponse__Output> {
  return unary(client.ClusterStatus.bind(client), {}, callMetadata(undefined), 5000);
}

interface Run {
  flow: Flow;
  ssc: StreamingContext;
  /** Per non-empty batch: [word counts, running totals], rows sorted. */
  batches: [unknown[][], unknown[][]][];
  infos: BatchInfo[];
}

function define(port: number, master?: string): Run {
  const flow = new Flow('stream both ways');
  const ssc = flow.streaming({ batchMs: 200, ...(master ? { master, name: 'cluster word count' } : { executors: 2 }), partitions: 3 });
  const words: DStream<[string, number]> = ssc
    .socketTextStream('127.0.0.1', port)
    .flatMap((line: string) => line.split(' ').filter(Boolean).map((w) => [w, 1]));
  const counts = words.reduceByKey((a: number, b: number) => a + b);
  const totals = words.updateStateByKey((vals: number[], s: number | undefined) => (s ?? 0) + vals.reduce((a, b) => a + b, 0));
  const run: Run = { flow, ssc, batches: [], infos: [] };
  // Both outputs of one batch run before its 'batch' event: pair them up by the batch time.
  const byTime = new Map<number, [unknown[][], unknown[][]]>();
  counts.foreachBatch(async (ds, t) => {
    byTime.set(t, [sorted(await ds.collect()), []]);
  });
  totals.foreachBatch(async (ds, t) => {
    byTime.get(t)![1] = sorted(await ds.collect());
  });
  ssc.on('batch', (i) => {
    run.infos.push(i);
    if (i.records > 0) run.batches.push(byTime.get(i.timeMs)!);
    byTime.delete(i.timeMs);
  });
  return run;
}

test('a socket stream gives the same batches locally and on master + 2 agents; its state stays on the agents; the master shows it', async () => {
  const server = await lineServer();
  const local = define(server.port);
  const remote = define(server.port, cluster.master);
  const groups = [
    ['to be or not to be', 'that is the question'],
    ['whether tis nobler in the mind to suffer', 'the slings and arrows'],
    ['of outrageous fortune', 'or to take arms against a sea of troubles'],
    ['and by opposing end them', 'to die to sleep', 'no more'],
  ];
  try {
    await local.ssc.start();
    await remote.ssc.start();
    await waitFor(() => server.clients.length === 2, 'both receivers to connect');
    for (let g = 0; g < groups.length; g++) {
      // One group per batch: send it in one write, wait until both streams processed it.
      server.send(groups[g].map((l) => `${l}\n`).join(''));
      await waitFor(() => local.batches.length === g + 1 && remote.batches.length === g + 1, `group ${g} to be processed by both streams`, 20000);
    }
    // The words of every group, counted per batch and in running totals.
    const want = new Map<string, number>();
    for (let g = 0; g < groups.length; g++) {
      const counts = new Map<string, number>();
      for (const w of groups[g].join(' ').split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const [w, n] of counts) want.set(w, (want.get(w) ?? 0) + n);
      expect(local.batches[g][0]).toEqual(sorted([...counts]));
      expect(local.batches[g][1]).toEqual(sorted([...want]));
      expect(remote.batches[g]).toEqual(local.batches[g]);
    }
    expect(remote.infos.filter((i) => i.records > 0).map((i) => i.records)).toEqual(groups.map((g) => g.length));

    // Between batches, the running totals are shards on the agents; the master lists the stream.
    await waitFor(async () => (await status()).agents.reduce((n, a) => n + a.shards, 0) > 0, 'the agents to report the kept state shards', 10000);
    await waitFor(async () => (await status()).streams.some((s) => s.report?.name === 'cluster word count' && s.state === 'running' && Number(s.report.batches) >= groups.length), 'the master to show the running stream', 10000);
    const shown = (await status()).streams.find((s) => s.report?.name === 'cluster word count')!;
    expect(Number(shown.report!.recordsTotal)).toBe(groups.flat().length);
  } finally {
    await local.ssc.stop();
    await remote.ssc.stop();
    await server.close();
    await local.flow.close();
    await remote.flow.close();
  }
  // Stopped: the kept state is deleted from the agents and the master shows the stream stopped.
  await waitFor(async () => (await status()).agents.reduce((n, a) => n + a.shards, 0) === 0, 'the agents to delete the stream\'s shards', 15000);
  await waitFor(async () => (await status()).streams.some((s) => s.report?.name === 'cluster word count' && s.state === 'stopped'), 'the master to show the stream stopped', 10000);
});
