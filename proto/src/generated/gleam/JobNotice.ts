// Original file: gleam.proto

import type { LeaseHeld as _gleam_LeaseHeld, LeaseHeld__Output as _gleam_LeaseHeld__Output } from '../gleam/LeaseHeld';
import type { JobCancelled as _gleam_JobCancelled, JobCancelled__Output as _gleam_JobCancelled__Output } from '../gleam/JobCancelled';
import type { AgentLost as _gleam_AgentLost, AgentLost__Output as _gleam_AgentLost__Output } from '../gleam/AgentLost';

export interface JobNotice {
  'held'?: (_gleam_LeaseHeld | null);
  'cancelled'?: (_gleam_JobCancelled | null);
  'agentLost'?: (_gleam_AgentLost | null);
  'notice'?: "held"|"cancelled"|"agentLost";
}

export interface JobNotice__Output {
  'held'?: (_gleam_LeaseHeld__Output | null);
  'cancelled'?: (_gleam_JobCancelled__Output | null);
  'agentLost'?: (_gleam_AgentLost__Output | null);
  'notice'?: "held"|"cancelled"|"agentLost";
}
