// Original file: gleam.proto


export interface CancelJobResponse {
  'found'?: (boolean);
  'state'?: (string);
}

export interface CancelJobResponse__Output {
  'found': (boolean);
  'state': (string);
}
