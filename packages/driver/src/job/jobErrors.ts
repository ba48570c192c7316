// Why a job ended early, as errors a user can tell apart.
import { GleamError } from '@gleam/executor';

/** The job was cancelled (flow.cancel(), an AbortSignal, SIGINT/SIGTERM, `gleam cancel`). */
export class JobCancelledError extends GleamError {
  constructor(readonly reason: string) {
    super(`job cancelled: ${reason}`);
    this.name = 'JobCancelledError';
  }
}
