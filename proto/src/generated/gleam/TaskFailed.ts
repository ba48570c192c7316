// Original file: gleam.proto


export interface TaskFailed {
  'name'?: (string);
  'message'?: (string);
  'stack'?: (string);
  'step'?: (string);
  'lostAgent'?: (string);
  'lostShard'?: (string);
}

export interface TaskFailed__Output {
  'name': (string);
  'message': (string);
  'stack': (string);
  'step': (string);
  'lostAgent': (string);
  'lostShard': (string);
}
