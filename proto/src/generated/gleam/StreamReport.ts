// Original file: gleam.proto

import type { LastBatch as _gleam_LastBatch, LastBatch__Output as _gleam_LastBatch__Output } from '../gleam/LastBatch';
import type { Long } from '@grpc/proto-loader';

export interface StreamReport {
  'streamId'?: (string);
  'name'?: (string);
  'driver'?: (string);
  'batchMs'?: (number | string | Long);
  'state'?: (string);
  'startedMs'?: (number | string | Long);
  'batches'?: (number | string | Long);
  'recordsTotal'?: (number | string | Long);
  'bufferedRecords'?: (number | string | Long);
  'lastBatch'?: (_gleam_LastBatch | null);
  'error'?: (string);
}

export interface StreamReport__Output {
  'streamId': (string);
  'name': (string);
  'driver': (string);
  'batchMs': (number);
  'state': (string);
  'startedMs': (number);
  'batches': (number);
  'recordsTotal': (number);
  'bufferedRecords': (number);
  'lastBatch': (_gleam_LastBatch__Output | null);
  'error': (string);
}
