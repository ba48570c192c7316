// Original file: gleam.proto

import type { TaskStarted as _gleam_TaskStarted, TaskStarted__Output as _gleam_TaskStarted__Output } from '../gleam/TaskStarted';
import type { TaskDone as _gleam_TaskDone, TaskDone__Output as _gleam_TaskDone__Output } from '../gleam/TaskDone';
import type { TaskFailed as _gleam_TaskFailed, TaskFailed__Output as _gleam_TaskFailed__Output } from '../gleam/TaskFailed';
import type { TaskProgress as _gleam_TaskProgress, TaskProgress__Output as _gleam_TaskProgress__Output } from '../gleam/TaskProgress';

export interface TaskEvent {
  'started'?: (_gleam_TaskStarted | null);
  'done'?: (_gleam_TaskDone | null);
  'failed'?: (_gleam_TaskFailed | null);
  'progress'?: (_gleam_TaskProgress | null);
  'event'?: "started"|"done"|"failed"|"progress";
}

export interface TaskEvent__Output {
  'started'?: (_gleam_TaskStarted__Output | null);
  'done'?: (_gleam_TaskDone__Output | null);
  'failed'?: (_gleam_TaskFailed__Output | null);
  'progress'?: (_gleam_TaskProgress__Output | null);
  'event'?: "started"|"done"|"failed"|"progress";
}
