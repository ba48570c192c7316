// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface HeartbeatAck {
  'masterTimeMs'?: (number | string | Long);
}

export interface HeartbeatAck__Output {
  'masterTimeMs': (number);
}
