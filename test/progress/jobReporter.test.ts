// What a cluster driver sends the master about its job: batched reports (never one per task),
// one at a time even when the master is slow, each task attempt's latest state arriving once
// merged, and a final report after everything else.
import type { JobEvent } from '@gleam/driver';
import { JobReporter, type JobReportFields } from '../../packages/driver/dist/remote/jobReporter';

const stats = (rowsIn: number) => ({ rowsIn, rowsOut: 1, framesOut: 1, bytesOut: 10, millis: 1 });

function events(tasks: number): JobEvent[] {
  const now = Date.now();
  const out: JobEvent[] = [
    { type: 'jobStarted', jobId: 'j', name: 'n', stages: [{ index: 0, name: 'Map', partitions: tasks, driverSide: false }], tasks, timeMs: now, graph: [{ stage: 0, tasks, standby: 0, inputs: [] }] },
    { type: 'stageStarted', jobId: 'j', stage: 0, name: 'Map', tasks, timeMs: now },
  ];
  for (let i = 0; i < tasks; i++) {
    const base = { jobId: 'j', stage: 0, task: `t${i}`, partition: i, location: 'a:1', attempt: 1 };
    out.push({ type: 'taskStarted', ...base, timeMs: now });
    out.push({ type: 'taskProgress', jobId: 'j', stage: 0, task: `t${i}`, attempt: 1, rowsIn: 5, timeMs: now });
    out.push({ type: 'taskFinished', ...base, stats: stats(10), done: i + 1, total: tasks, timeMs: now });
  }
  return out;
}

test('2000 task events in 1 s make a handful of reports; every task arrives with its last state; the final one comes last', async () => {
  const sent: JobReportFields[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  // A slow master: each report takes 150 ms.
  const r = new JobReporter(Date.now(), async (f) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    sent.push(f);
    await new Promise((res) => setTimeout(res, 150));
    inFlight--;
  });
  const all = events(500);
  // Spread over about a second, in 10 bursts.
  for (let k = 0; k < 10; k++) {
    for (const e of all.slice((k * all.length) / 10, ((k + 1) * all.length) / 10)) r.onEvent(e);
    await new Promise((res) => setTimeout(res, 100));
  }
  await r.finish('succeeded');
  expect(maxInFlight).toBe(1);
  // At most one report per 200 ms (plus the first and the final one).
  expect(sent.length).toBeLessThanOrEqual(8);
  expect(sent[sent.length - 1]).toMatchObject({ state: 'succeeded', tasksDone: 500, tasksTotal: 500 });
  expect(sent.slice(0, -1).every((f) => f.state === 'running')).toBe(true);
  // Merged as the master does (by task and attempt): every task done with its figures.
  const merged = new Map<string, JobReportFields['tasks'][number]>();
  for (const f of sent) for (const t of f.tasks) merged.set(`${t.name}#${t.attempt}`, t);
  expect(merged.size).toBe(500);
  expect([...merged.values()].every((t) => t.state === 'done' && t.rowsIn === 10 && t.agent === 'a:1')).toBe(true);
  expect(sent[sent.length - 1].stages).toEqual([expect.objectContaining({ index: 0, tasks: 500, done: 500, running: 0, rowsIn: 5000, state: 'running' })]);
});
