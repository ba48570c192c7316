// Original file: gleam.proto


export interface JobCancelled {
  'reason'?: (string);
}

export interface JobCancelled__Output {
  'reason': (string);
}
