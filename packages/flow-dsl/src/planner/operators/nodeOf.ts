// The type an expansion of one step kind receives: a logical node whose step is that kind.
import type { LogicalNode, LogicalStep } from '../../steps';
import type { PlanContext, Rows } from '../planContext';

export type StepKind = LogicalStep['kind'];
export type NodeOf<K extends StepKind> = LogicalNode & { step: Extract<LogicalStep, { kind: K }> };
export type ExpandStep<K extends StepKind> = (node: NodeOf<K>, ctx: PlanContext) => Rows;
