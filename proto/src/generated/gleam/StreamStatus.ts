// Original file: gleam.proto

import type { StreamReport as _gleam_StreamReport, StreamReport__Output as _gleam_StreamReport__Output } from '../gleam/StreamReport';
import type { Long } from '@grpc/proto-loader';

export interface StreamStatus {
  'report'?: (_gleam_StreamReport | null);
  'lastReportMs'?: (number | string | Long);
  'state'?: (string);
}

export interface StreamStatus__Output {
  'report': (_gleam_StreamReport__Output | null);
  'lastReportMs': (number);
  'state': (string);
}
