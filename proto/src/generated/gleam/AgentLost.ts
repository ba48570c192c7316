// Original file: gleam.proto


export interface AgentLost {
  'address'?: (string);
  'reason'?: (string);
}

export interface AgentLost__Output {
  'address': (string);
  'reason': (string);
}
