import type { InstructionSpec } from '../plan/taskSpec';

/**
 * The step named when a task's output row holds a value rows cannot carry: the last
 * instruction's. Only UDFs make such values (decoded rows, text and the engine's own values are
 * all carryable), so tasks without one skip the check: a sort or a merge pays nothing.
 */
export function checkedStep(instructions: InstructionSpec[]): string | undefined {
  if (!instructions.some((ins) => 'udf' in ins)) return undefined;
  return instructions[instructions.length - 1].step;
}
