// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface TaskProgress {
  'rowsIn'?: (number | string | Long);
}

export interface TaskProgress__Output {
  'rowsIn': (number);
}
