// gleam logs' choice of job and its text, on reports as the master returns them (the cluster
// run is in conventions.test.ts; this covers reports that list their tasks).
import * as path from 'node:path';
import type { ClusterStatusResponse__Output, JobReport__Output } from '@gleam/proto';
import { repoRoot } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { formatJobLog, pickJob } = require(path.join(repoRoot, 'packages', 'cli', 'dist', 'commands', 'logs.js')) as typeof import('../../packages/cli/src/commands/logs');

function report(over: Partial<JobReport__Output>): JobReport__Output {
  return { jobId: 'j1', name: 'n', state: 'succeeded', tasksTotal: 2, tasksDone: 2, error: '', startedMs: 1000, finishedMs: 2000, driver: 'box:1', plan: '', tasks: [], ...over };
}

const status = (...reports: JobReport__Output[]) => ({ jobs: reports.map((r) => ({ report: r, grants: [] })) }) as unknown as ClusterStatusResponse__Output;

test('without a job id: the failed or cancelled job that ended last', () => {
  const s = status(
    report({ jobId: 'old', state: 'failed', error: 'step "map#2": boom', finishedMs: 5000 }),
    report({ jobId: 'ok', finishedMs: 9000 }),
    report({ jobId: 'new', state: 'cancelled', error: 'cancelled: by hand', finishedMs: 7000 }),
  );
  expect(pickJob(s, undefined)?.jobId).toBe('new');
  expect(pickJob(s, 'ok')?.jobId).toBe('ok');
  expect(pickJob(s, 'none')).toBeUndefined();
  expect(pickJob(status(report({})), undefined)).toBeUndefined();
});

test('the text: title, failed tasks with their agents, then the whole error', () => {
  const r = report({
    jobId: 'j7',
    name: 'join job',
    state: 'failed',
    tasksDone: 3,
    tasksTotal: 5,
    error: 'step "map#2": the UDF threw Error: bad\n  row: ["x"]',
    tasks: [
      { name: 'TextFile.0-Map.0@0', agent: '10.0.0.5:45327', state: 'failed', rowsIn: 12, rowsOut: 0, millis: 40 },
      { name: 'TextFile.0-Map.0@1', agent: '10.0.0.6:45327', state: 'done', rowsIn: 10, rowsOut: 10, millis: 30 },
    ],
  });
  expect(formatJobLog(r)).toBe(
    [
      'job j7 (join job): failed, 3/5 tasks done, driver box:1',
      '',
      'FAILED TASK         AGENT           ROWS IN  MS',
      'TextFile.0-Map.0@0  10.0.0.5:45327  12       40',
      '',
      'step "map#2": the UDF threw Error: bad',
      '  row: ["x"]',
      '',
    ].join('\n'),
  );
  expect(formatJobLog(report({ state: 'running', tasksDone: 1 }))).toBe('job j1 (n): running, 1/2 tasks done, driver box:1\n\nno error so far: the job is running\n');
});
