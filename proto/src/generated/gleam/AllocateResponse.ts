// Original file: gleam.proto

import type { SlotGrant as _gleam_SlotGrant, SlotGrant__Output as _gleam_SlotGrant__Output } from '../gleam/SlotGrant';

export interface AllocateResponse {
  'grants'?: (_gleam_SlotGrant)[];
}

export interface AllocateResponse__Output {
  'grants': (_gleam_SlotGrant__Output)[];
}
