// Every logical step kind and its expansion: a kind without one does not compile.
import type { LogicalNode } from '../../steps';
import type { PlanContext, Rows } from '../planContext';
import { cartesian, hashJoin } from './broadcast';
import { distinct } from './distinct';
import { groupBy } from './groupBy';
import { coGroup, join } from './join';
import { narrow } from './narrow';
import type { ExpandStep, StepKind } from './nodeOf';
import { partition } from './partition';
import { coalesce, zip, zipWithUniqueId } from './rddTransforms';
import { combineByKey, reduceBy } from './reduceBy';
import { sample } from './sample';
import { intersection, subtract } from './setOps';
import { sort } from './sort';
import { csv, driverRows, kept, sourceFn, textFile } from './sources';
import { limit, reduce, top } from './toOnePartition';
import { union } from './union';
import { zipWithIndex } from './zipWithIndex';

const EXPANSIONS: { [K in StepKind]: ExpandStep<K> } = {
  textFile,
  csv,
  driverRows,
  sourceFn,
  kept,
  narrow,
  reduceBy,
  combineByKey,
  groupBy,
  distinct,
  partition,
  sort,
  top,
  limit,
  reduce,
  join,
  coGroup,
  subtract,
  intersection,
  hashJoin,
  cartesian,
  zipWithIndex,
  sample,
  union,
  coalesce,
  zip,
  zipWithUniqueId,
};

export function expandNode(node: LogicalNode, ctx: PlanContext): Rows {
  return (EXPANSIONS[node.step.kind] as ExpandStep<StepKind>)(node as never, ctx);
}

export const PLANNED_STEP_KINDS = Object.keys(EXPANSIONS) as StepKind[];
