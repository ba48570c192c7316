// Original file: gleam.proto


export interface AgentCancelJobResponse {
  'tasksCancelled'?: (number);
  'shardsDeleted'?: (number);
}

export interface AgentCancelJobResponse__Output {
  'tasksCancelled': (number);
  'shardsDeleted': (number);
}
