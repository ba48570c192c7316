// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface StageStatus {
  'index'?: (number);
  'name'?: (string);
  'inputs'?: (number)[];
  'tasks'?: (number);
  'done'?: (number);
  'running'?: (number);
  'rowsIn'?: (number | string | Long);
  'rowsOut'?: (number | string | Long);
  'bytesOut'?: (number | string | Long);
  'startedMs'?: (number | string | Long);
  'finishedMs'?: (number | string | Long);
  'driverSide'?: (boolean);
  'state'?: (string);
}

export interface StageStatus__Output {
  'index': (number);
  'name': (string);
  'inputs': (number)[];
  'tasks': (number);
  'done': (number);
  'running': (number);
  'rowsIn': (number);
  'rowsOut': (number);
  'bytesOut': (number);
  'startedMs': (number);
  'finishedMs': (number);
  'driverSide': (boolean);
  'state': (string);
}
