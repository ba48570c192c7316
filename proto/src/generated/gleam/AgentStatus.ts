// Original file: gleam.proto

import type { Long } from '@grpc/proto-loader';

export interface AgentStatus {
  'address'?: (string);
  'executors'?: (number);
  'allocated'?: (number);
  'busy'?: (number);
  'memoryMb'?: (number | string | Long);
  'shardMemoryBytes'?: (number | string | Long);
  'spilledBytes'?: (number | string | Long);
  'shards'?: (number);
  'lastHeartbeatMs'?: (number | string | Long);
  'alive'?: (boolean);
  'version'?: (string);
}

export interface AgentStatus__Output {
  'address': (string);
  'executors': (number);
  'allocated': (number);
  'busy': (number);
  'memoryMb': (number);
  'shardMemoryBytes': (number);
  'spilledBytes': (number);
  'shards': (number);
  'lastHeartbeatMs': (number);
  'alive': (boolean);
  'version': (string);
}
