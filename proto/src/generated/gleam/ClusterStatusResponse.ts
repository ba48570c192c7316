// Original file: gleam.proto

import type { AgentStatus as _gleam_AgentStatus, AgentStatus__Output as _gleam_AgentStatus__Output } from '../gleam/AgentStatus';
import type { JobStatus as _gleam_JobStatus, JobStatus__Output as _gleam_JobStatus__Output } from '../gleam/JobStatus';
import type { StreamStatus as _gleam_StreamStatus, StreamStatus__Output as _gleam_StreamStatus__Output } from '../gleam/StreamStatus';
import type { Long } from '@grpc/proto-loader';

export interface ClusterStatusResponse {
  'agents'?: (_gleam_AgentStatus)[];
  'jobs'?: (_gleam_JobStatus)[];
  'startedMs'?: (number | string | Long);
  'streams'?: (_gleam_StreamStatus)[];
}

export interface ClusterStatusResponse__Output {
  'agents': (_gleam_AgentStatus__Output)[];
  'jobs': (_gleam_JobStatus__Output)[];
  'startedMs': (number);
  'streams': (_gleam_StreamStatus__Output)[];
}
