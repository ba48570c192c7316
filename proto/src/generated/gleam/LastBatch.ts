// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface LastBatch {
  'timeMs'?: (number | string | Long);
  'records'?: (number | string | Long);
  'schedulingDelayMs'?: (number | string | Long);
  'processingMs'?: (number | string | Long);
  'totalDelayMs'?: (number | string | Long);
}

export interface LastBatch__Output {
  'timeMs': (number);
  'records': (number);
  'schedulingDelayMs': (number);
  'processingMs': (number);
  'totalDelayMs': (number);
}
