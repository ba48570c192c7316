// Public surface of the data plane: codec, keys, plan types, shard store, task runner, executors.
export * from './plan/taskSpec';
export * from './errors';
export { encodeRows, decodeRows, nativeDecoderLoaded } from './codec/rowCodec';
export type { Row } from './codec/rowCodec';
export { FrameBuilder } from './codec/frameBuilder';
export * from './codec/lengthPrefixed';
export { compareValues, makeRowComparator } from './keys/keyOrder';
export { hashValue, hashKey, partitionOf } from './keys/keyHash';
export { groupKey, isCompositeKey, keyOfFields } from './keys/canonicalKey';
export * from './store/shardStore';
export { compileUdf, checkUdfSyntax, udfSource, explainUdfError } from './udf/compileUdf';
export type { Udf } from './udf/compileUdf';
export { runTask } from './task/runTask';
export type { TaskIO } from './task/taskIO';
export { formatField, rowsToTsv } from './pipe/tsvLines';
export { ExecutorHost } from './worker/executorHost';
export type { ShardAccess } from './worker/executorHost';
export type { HostToWorker, WorkerToHost } from './worker/messages';
