// Original file: gleam.proto


export interface CancelJobRequest {
  'jobId'?: (string);
  'reason'?: (string);
}

export interface CancelJobRequest__Output {
  'jobId': (string);
  'reason': (string);
}
