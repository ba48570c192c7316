// Planner mode output, in the spirit of Gleam's `=== task execution groups ===` listing.
// Stable text: golden tests pin it.
import type { PlanDescription } from './planTypes';

export function printPlan(d: PlanDescription): string {
  const lines: string[] = [];
  lines.push(`flow: ${d.flowName}`);
  lines.push('=== task execution groups ===');
  for (const t of d.taskGroups) {
    lines.push(t.name);
    if (t.inputs.length > 0) {
      lines.push('  input:');
      for (const i of t.inputs) lines.push(`    ${i}`);
    }
    if (t.outputs.length > 0) {
      lines.push('  output:');
      for (const o of t.outputs) lines.push(`    ${o}`);
    }
  }
  lines.push('=== step groups ===');
  for (const g of d.stepGroups) {
    lines.push(`  step group: ${g.index}${g.driverSide ? ' (driver)' : ''}${g.standby ? ' (standby: runs if cached shards are lost)' : ''} partition: ${g.partitions}`);
    for (const s of g.steps) lines.push(`    step: ${s}`);
  }
  return `${lines.join('\n')}\n`;
}
