// Original file: gleam.proto

import type { TaskStatus as _gleam_TaskStatus, TaskStatus__Output as _gleam_TaskStatus__Output } from '../gleam/TaskStatus';
import type { StageStatus as _gleam_StageStatus, StageStatus__Output as _gleam_StageStatus__Output } from '../gleam/StageStatus';
import type { Long } from '@grpc/proto-loader';

export interface JobReport {
  'jobId'?: (string);
  'name'?: (string);
  'state'?: (string);
  'tasksTotal'?: (number);
  'tasksDone'?: (number);
  'error'?: (string);
  'startedMs'?: (number | string | Long);
  'finishedMs'?: (number | string | Long);
  'driver'?: (string);
  'plan'?: (string);
  'tasks'?: (_gleam_TaskStatus)[];
  'stages'?: (_gleam_StageStatus)[];
}

export interface JobReport__Output {
  'jobId': (string);
  'name': (string);
  'state': (string);
  'tasksTotal': (number);
  'tasksDone': (number);
  'error': (string);
  'startedMs': (number);
  'finishedMs': (number);
  'driver': (string);
  'plan': (string);
  'tasks': (_gleam_TaskStatus__Output)[];
  'stages': (_gleam_StageStatus__Output)[];
}
