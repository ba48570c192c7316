// Original file: gleam.proto


export interface TaskStarted {
  'executor'?: (number);
}

export interface TaskStarted__Output {
  'executor': (number);
}
