// Original file: gleam.proto


export interface AgentCancelJobRequest {
  'jobId'?: (string);
  'reason'?: (string);
}

export interface AgentCancelJobRequest__Output {
  'jobId': (string);
  'reason': (string);
}
