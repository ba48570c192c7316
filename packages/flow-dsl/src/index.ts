// The user API: import { Flow } from '@gleam/flow-dsl'.
import './operators/sparkOperators';
export { Flow } from './flow';
export type { StatCounter } from './operators/statCounter';
export { Dataset, ReducedDataset } from './dataset';
export type { UdfOptions, AsyncUdfOptions, PipeOptions, KeyOptions, SortOptions, UdfArg } from './dataset';
export type { RunOptions } from './options';
export { GleamError } from '@gleam/executor';
export { JobCancelledError } from '@gleam/driver';
export type { JobEvent, JobEventListener, JobOutcome, StageInfo } from '@gleam/driver';
export { PlannerModeError } from './plannerModeError';
export { planFlow } from './planner/planFlow';
export { printPlan } from './planner/printPlan';
export type { PlanDescription, StepGroupInfo, TaskGroupInfo } from './planner/planTypes';
