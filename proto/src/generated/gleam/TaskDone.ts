// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface TaskDone {
  'rowsIn'?: (number | string | Long);
  'rowsOut'?: (number | string | Long);
  'framesOut'?: (number | string | Long);
  'bytesOut'?: (number | string | Long);
  'millis'?: (number | string | Long);
  'accumulators'?: (Buffer | Uint8Array | string);
  'spilledShards'?: (string)[];
}

export interface TaskDone__Output {
  'rowsIn': (number);
  'rowsOut': (number);
  'framesOut': (number);
  'bytesOut': (number);
  'millis': (number);
  'accumulators': (Buffer);
  'spilledShards': (string)[];
}
