// updateStateByKey: a state per key carried from batch to batch. The state is a dataset of rows
// [...keys, state], hash-partitioned by key and kept in the executors' shard stores (never
// collected to the driver); each batch co-groups it with the batch's rows and calls the user's
// function for every key with new values or a state. A key whose function returns undefined is
// dropped.
import { checkUdfSyntax, GleamError, udfSource } from '@gleam/executor';
import type { Dataset, UdfArg, UdfOptions } from '../dataset';
import { keyFields, positiveInt } from '../fields';
import { checkParams } from '../params';
import type { By, KeysAnd, ValueOf } from '../rowTypes';
import type { BatchScope } from './batchScope';
import { DStream } from './dstream';
import type { StreamingContext } from './streamingContext';

export interface UpdateStateOptions<B extends By = By> extends UdfOptions {
  /** Key fields of the stream's rows, 1-based (default [1]); the value is the rest, as for reduceBy. */
  by?: B;
  partitions?: number;
  /** The state before the first batch: rows [...keys, state] (a Dataset of the same Flow). */
  initial?: Dataset<any>;
}

declare module './dstream' {
  interface DStream<R extends unknown[]> {
    /**
     * fn(newValues, state) for every key with new values in the batch or a state: newValues are
     * the batch's values of the key (as reduceBy sees them), state the previous state (undefined
     * for a new key). It returns the new state, or undefined to drop the key. Rows out: [...keys, state].
     */
    updateStateByKey<S, const B extends By = [1]>(fn: UdfArg<(newValues: ValueOf<R, B>[], state: S | undefined) => S | undefined>, opts?: UpdateStateOptions<B>): DStream<KeysAnd<R, B, S>>;
  }
}

class StateDStream extends DStream<unknown[]> {
  private readonly owner: string;

  constructor(
    ssc: StreamingContext,
    private readonly parent: DStream<any>,
    private readonly update: { source: string; params?: Record<string, unknown> },
    /** 0-based key fields of the parent's rows. */
    private readonly key: number[],
    private readonly partitions: number | undefined,
    private readonly initial: Dataset<any> | undefined,
  ) {
    super(ssc, [parent], 'updateStateByKey');
    this.owner = `${this.id}:state`;
  }

  protected compute(scope: BatchScope): Dataset<unknown[]> | undefined {
    const batch = this.parent.datasetAt(scope);
    if (!batch) return undefined;
    const prev = this.ssc.kept.latestBefore(this.owner, scope.timeMs) ?? this.initial ?? scope.empty();
    const n = this.key.length;
    const leading = this.key.every((k, i) => k === i);
    // The batch's rows with their keys first, so both sides key on fields 1..n.
    const keyed = leading ? batch : batch.map('(...f) => [...params.key.map((k) => f[k]), ...f.filter((_, i) => !params.key.includes(i))]', { params: { key: this.key } });
    const by = Array.from({ length: n }, (_, i) => i + 1);
    const next = prev.coGroup(keyed, { by, partitions: this.partitions }).flatMap(this.update.source, this.update.params ? { params: this.update.params } : undefined) as Dataset<unknown[]>;
    this.ssc.kept.keep(this.owner, scope.timeMs, next, `the state of updateStateByKey at ${scope.timeMs} ms`);
    return next;
  }

  override async afterBatch(scope: BatchScope): Promise<void> {
    // The state must move on every batch, read by an output or not.
    if (!this.datasetAt(scope)) return;
    this.ssc.kept.release(this.owner, (t) => t < scope.timeMs);
  }
}

const proto = DStream.prototype as DStream<any>;

proto.updateStateByKey = function (fn, opts = {}) {
  const what = 'updateStateByKey';
  const src = udfSource(fn, what);
  checkUdfSyntax(src, what);
  if (opts.params !== undefined) checkParams(opts.params, what);
  const key = keyFields(opts.by, what);
  const partitions = opts.partitions === undefined ? undefined : positiveInt(opts.partitions, what, 'partitions');
  if (opts.initial !== undefined && opts.initial.flow !== this.ssc.flow) throw new GleamError(`${what}: the initial state belongs to another Flow than the stream`);
  // coGroup rows: [...keys, previous states (0 or 1), new values].
  const source = `((FN) => (...f) => {
    const n = f.length;
    const olds = f[n - 2];
    const s = FN(f[n - 1], olds.length > 0 ? olds[0] : undefined);
    return s === undefined ? [] : [[...f.slice(0, n - 2), s]];
  })(${src})`;
  return new StateDStream(this.ssc, this, { source, params: opts.params }, key, partitions, opts.initial?.cache());
};
