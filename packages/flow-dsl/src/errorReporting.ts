// A GleamError nobody caught is printed as one clear message with a non-zero exit, instead of
// Node's stack dump; anything else keeps Node's default behaviour.
import { GleamError } from '@gleam/executor';
import { PlannerModeError } from './plannerModeError';

let installed = false;

export function installErrorReporting(): void {
  if (installed) return;
  installed = true;
  const report = (e: unknown) => {
    if (!(e instanceof GleamError)) return false;
    process.stderr.write(`gleam: ${e.message}\n`);
    if (process.env.GLEAM_DEBUG && e.stack) process.stderr.write(`${e.stack}\n`);
    // An action in planner mode stops the script after printing the plan: that is the success of `gleam plan`.
    process.exit(e instanceof PlannerModeError ? 0 : 1);
  };
  // A closed stdout (`| head`) ends the run quietly, as it does for Unix tools.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  process.on('unhandledRejection', (e) => {
    if ((e as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(0);
    if (!report(e)) {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    }
  });
  process.on('uncaughtException', (e) => {
    if (!report(e)) {
      process.stderr.write(`${e.stack ?? String(e)}\n`);
      process.exit(1);
    }
  });
}
