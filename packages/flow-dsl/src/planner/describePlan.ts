// The plan as planner mode prints it, derived from the task specs through taskShards (the one
// list of what a task reads and writes) and from the driver-side stages.
import * as path from 'node:path';
import { taskShards, type ShardSet, type TaskGroupSpec, type ShardUse } from '@gleam/executor';
import type { DriverStage, GroupDraft } from './planContext';
import type { PlanDescription, StepGroupInfo, TaskGroupInfo } from './planTypes';

/**
 * cachePrefix: the Flow's cached-shard prefix (it holds a process id and a time), printed as
 * `cache/<flow>/` so plans read the same in every run.
 */
export function describePlan(flowName: string, driverStages: DriverStage[], groups: GroupDraft[], taskGroups: TaskGroupSpec[], cachePrefix?: string): PlanDescription {
  const shown = (s: string) => (cachePrefix && s.startsWith(cachePrefix) ? `cache/<flow>/${s.slice(cachePrefix.length)}` : s);
  const stepGroups: StepGroupInfo[] = [
    ...driverStages.map((d) => ({ index: d.index, partitions: d.partitions, driverSide: true, steps: [d.name] })),
    ...groups.map((g) => ({ index: g.index, partitions: g.partitions, driverSide: false, standby: g.standby, steps: g.stepNames.length > 0 ? g.stepNames : ['Copy'] })),
  ].sort((a, b) => a.index - b.index);
  const tasks: { order: number; info: TaskGroupInfo }[] = [];
  for (const d of driverStages) {
    if (d.outputs) {
      d.outputs.forEach((set, p) => tasks.push({ order: d.index, info: { name: `${d.name}.${p}@${d.index}`, stepGroup: d.index, inputs: [], outputs: setLines(set, 'shard', shown) } }));
    } else {
      tasks.push({ order: d.index, info: { name: `${d.name}.0@${d.index}`, stepGroup: d.index, inputs: (d.inputs ?? []).flatMap((s) => setLines(s, 'shard', shown)), outputs: [] } });
    }
  }
  for (const t of taskGroups) tasks.push({ order: t.stepGroup, info: describeTask(t, shown) });
  // Stable: task groups of one step group keep their partition order.
  tasks.sort((a, b) => a.order - b.order);
  return { flowName, stepGroups, taskGroups: tasks.map((t) => t.info) };
}

function describeTask(spec: TaskGroupSpec, shown: (s: string) => string): TaskGroupInfo {
  const inputs: string[] = [];
  if (spec.input.kind === 'textSplit') inputs.push(`file: ${displayPath(spec.input.path)} [${spec.input.start}, ${spec.input.end})`);
  else if (spec.input.kind === 'csvFile' || spec.input.kind === 'objectFile') inputs.push(`file: ${displayPath(spec.input.path)}`);
  else if (spec.input.kind === 'jsonLines') inputs.push(`file: ${displayPath(spec.input.path)} [${spec.input.start}, ${spec.input.end})`);
  else if (spec.input.kind === 'wholeTextFiles') inputs.push(...spec.input.paths.map((p) => `file: ${displayPath(p)}`));
  else if (spec.input.kind === 'rows') inputs.push(`driver rows: ${spec.input.rows}`);
  const outputs: string[] = [];
  const sideOutputs: string[] = [];
  for (const use of taskShards(spec)) {
    if (use.role === 'output') outputs.push(...useLines(use, shown));
    else if (use.role === 'sideOutput') sideOutputs.push(...useLines(use, shown));
    else inputs.push(...useLines(use, shown));
  }
  outputs.push(...sideOutputs);
  return { name: spec.name, stepGroup: spec.stepGroup, inputs, outputs };
}

const LABELS: Record<ShardUse['role'], string> = { input: 'shard', side: 'side', sample: 'sample', output: 'shard', sideOutput: 'side' };

function useLines(use: ShardUse, shown: (s: string) => string): string[] {
  const label = LABELS[use.role];
  const by = use.step && (use.role === 'side' || use.role === 'sideOutput') ? ` (${use.step})` : '';
  if (use.partitions !== undefined) return use.shards.map((s) => `${label}: ${shown(s)} (${use.partitions} sections)`);
  return use.shards.map((s) => `${label}: ${shown(s)}${use.section === undefined ? '' : ` section ${use.section}`}${by}`);
}

function setLines(set: ShardSet, label: string, shown: (s: string) => string): string[] {
  return set.shards.map((s) => `${label}: ${shown(s)}${set.section === undefined ? '' : ` section ${set.section}`}`);
}

// Paths under the working directory print relative, so plans read the same in every clone.
function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}
