// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface WriteShardResponse {
  'frames'?: (number | string | Long);
  'bytes'?: (number | string | Long);
}

export interface WriteShardResponse__Output {
  'frames': (number);
  'bytes': (number);
}
