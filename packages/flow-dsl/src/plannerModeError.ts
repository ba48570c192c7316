// Planner mode prints the plan and runs nothing, so an action has no value to give: it says so
// instead of returning an empty answer that looks like a real one.
import { GleamError } from '@gleam/executor';

export class PlannerModeError extends GleamError {
  constructor(readonly action: string) {
    super(`planner mode: ${action}() printed its plan and ran nothing (actions have no value in planner mode; run without GLEAM_PLAN / { plan: true } / gleam plan to get one)`);
    this.name = 'PlannerModeError';
  }
}
