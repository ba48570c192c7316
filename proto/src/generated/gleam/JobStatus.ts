// Original file: gleam.proto

import type { JobReport as _gleam_JobReport, JobReport__Output as _gleam_JobReport__Output } from '../gleam/JobReport';
import type { SlotGrant as _gleam_SlotGrant, SlotGrant__Output as _gleam_SlotGrant__Output } from '../gleam/SlotGrant';

export interface JobStatus {
  'report'?: (_gleam_JobReport | null);
  'grants'?: (_gleam_SlotGrant)[];
}

export interface JobStatus__Output {
  'report': (_gleam_JobReport__Output | null);
  'grants': (_gleam_SlotGrant__Output)[];
}
