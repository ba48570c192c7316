import type { Row, Stage } from '../stages/stage';

/**
 * The next stage seen by a stage that processes one spilled partition: rows and flushes pass,
 * but its end() does not end the real next stage (more partitions follow).
 */
export function nonEnding(next: Stage): Stage {
  return {
    push: (row: Row) => next.push(row),
    flush: () => next.flush(),
    end: async () => {
      await next.flush();
    },
  };
}

/** Key fields 0..n-1: the keys of rows written as [...keys, rest]. */
export function leadingFields(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
