// Pipe commands run in their own process group, so nothing used to stop them when the process
// that spawned them died: a SIGKILLed driver (local mode) or agent left them under PID 1. Each
// spawning thread's reaper kills them when its spawner dies, however it dies.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startCluster, type TestCluster } from '../helpers/cluster';
import { eventually, killAllWith, parentOf, processesWith } from '../helpers/processes';

jest.setTimeout(90000);

const dsl = JSON.stringify(require.resolve('@gleam/flow-dsl'));
let dir: string;
const markers: string[] = [];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gleam-orphans-'));
});
afterAll(() => {
  for (const m of markers) killAllWith(m);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A driver script, as a process, whose pipe step runs `sleep 1000; : marker` in every partition. */
function startDriver(name: string, marker: string, runOptions: string): ChildProcess {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(file, `const { Flow } = require(${dsl});\nnew Flow('orphans').strings(['a', 'b', 'c', 'd'], 2).pipe('sleep 1000; : ${marker}').printf('%s\\n').run(${runOptions}).catch(() => process.exit(1));\n`);
  const p = spawn(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] });
  p.stderr!.resume();
  return p;
}

function newMarker(what: string): string {
  const m = `gleam-orphan-${what}-${process.pid}-${Date.now().toString(36)}`;
  markers.push(m);
  return m;
}

test('a SIGKILLed local-mode driver leaves no pipe process behind', async () => {
  const marker = newMarker('driver');
  const driver = startDriver('local', marker, '{ executors: 2 }');
  try {
    expect(await eventually(() => processesWith(marker).length === 2, 20000)).toBe(true);
    // Running, not being born: a command killed in the instant between its fork and its
    // registration with the reaper is the one case the reaper cannot see.
    await new Promise((r) => setTimeout(r, 500));
    driver.kill('SIGKILL');
    expect(await eventually(() => processesWith(marker).length === 0, 5000)).toBe(true);
  } finally {
    driver.kill('SIGKILL');
  }
});

describe('on a cluster of a master and 2 agents', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ agents: 2, executors: 2 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  test('a SIGKILLed agent leaves no pipe process behind', async () => {
    const marker = newMarker('agent');
    const driver = startDriver('remote', marker, `{ master: ${JSON.stringify(cluster.master)} }`);
    try {
      expect(await eventually(() => processesWith(marker).length > 0, 30000)).toBe(true);
      await new Promise((r) => setTimeout(r, 500));
      const agentPids = cluster.agents.map((a) => a.proc.pid);
      const victim = agentPids.indexOf(parentOf(processesWith(marker)[0]));
      expect(victim).toBeGreaterThanOrEqual(0);
      const victimPid = agentPids[victim];
      const itsCommands = processesWith(marker).filter((p) => parentOf(p) === victimPid);
      expect(itsCommands.length).toBeGreaterThan(0);
      cluster.killAgent(victim);
      // The killed agent's commands (reparented once it died) are gone within 5 s.
      expect(await eventually(() => itsCommands.every((p) => !processesWith(marker).includes(p)), 5000)).toBe(true);
    } finally {
      driver.kill('SIGKILL');
    }
  });
});
