// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface TaskStatus {
  'name'?: (string);
  'agent'?: (string);
  'state'?: (string);
  'rowsIn'?: (number | string | Long);
  'rowsOut'?: (number | string | Long);
  'millis'?: (number | string | Long);
  'stage'?: (number);
  'attempt'?: (number);
  'bytesOut'?: (number | string | Long);
  'partition'?: (number);
  'startedMs'?: (number | string | Long);
  'error'?: (string);
}

export interface TaskStatus__Output {
  'name': (string);
  'agent': (string);
  'state': (string);
  'rowsIn': (number);
  'rowsOut': (number);
  'millis': (number);
  'stage': (number);
  'attempt': (number);
  'bytesOut': (number);
  'partition': (number);
  'startedMs': (number);
  'error': (string);
}
