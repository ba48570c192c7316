// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface LeaseHeld {
  'masterTimeMs'?: (number | string | Long);
}

export interface LeaseHeld__Output {
  'masterTimeMs': (number);
}
