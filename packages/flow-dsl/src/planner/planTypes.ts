// What the planner produces besides the physical plan: a printable description.
export interface StepGroupInfo {
  index: number;
  partitions: number;
  /** Driver-side groups (sources from driver memory, sinks) run in the driver, not on executors. */
  driverSide: boolean;
  /** Recomputes lost partitions of a cached dataset; runs only if they are lost. */
  standby?: boolean;
  steps: string[];
}

export interface TaskGroupInfo {
  name: string;
  stepGroup: number;
  inputs: string[];
  outputs: string[];
}

export interface PlanDescription {
  flowName: string;
  stepGroups: StepGroupInfo[];
  taskGroups: TaskGroupInfo[];
}
