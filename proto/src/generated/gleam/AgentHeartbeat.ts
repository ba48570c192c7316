// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface AgentHeartbeat {
  'address'?: (string);
  'executors'?: (number);
  'memoryMb'?: (number | string | Long);
  'busyExecutors'?: (number);
  'shardMemoryBytes'?: (number | string | Long);
  'spilledBytes'?: (number | string | Long);
  'shards'?: (number);
  'version'?: (string);
  'startedMs'?: (number | string | Long);
}

export interface AgentHeartbeat__Output {
  'address': (string);
  'executors': (number);
  'memoryMb': (number);
  'busyExecutors': (number);
  'shardMemoryBytes': (number);
  'spilledBytes': (number);
  'shards': (number);
  'version': (string);
  'startedMs': (number);
}
