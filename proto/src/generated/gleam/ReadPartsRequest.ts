// Original file: gleam.proto

import type { ShardList as _gleam_ShardList, ShardList__Output as _gleam_ShardList__Output } from '../gleam/ShardList';
import type { PartRef as _gleam_PartRef, PartRef__Output as _gleam_PartRef__Output } from '../gleam/PartRef';

export interface ReadPartsRequest {
  'lists'?: (_gleam_ShardList)[];
  'parts'?: (_gleam_PartRef)[];
}

export interface ReadPartsRequest__Output {
  'lists': (_gleam_ShardList__Output)[];
  'parts': (_gleam_PartRef__Output)[];
}
