// flow.streaming(): installed on Flow by the streaming layer, which sits above the batch API, so
// that Flow itself knows nothing of streams (as operators/sparkOperators does for Dataset).
import { Flow } from '../flow';
import { StreamingContext } from './streamingContext';
import type { StreamingOptions } from './streamingOptions';

declare module '../flow' {
  interface Flow {
    /**
     * A StreamingContext on this Flow: micro-batches of batchMs, each a job (per output) on the
     * same engine. The run options (master, executors, ...) apply to every batch.
     */
    streaming(opts: StreamingOptions): StreamingContext;
  }
}

Flow.prototype.streaming = function (this: Flow, opts: StreamingOptions): StreamingContext {
  return new StreamingContext(this, opts);
};
