// Original file: gleam.proto


export interface SlotGrant {
  'agent'?: (string);
  'slots'?: (number);
}

export interface SlotGrant__Output {
  'agent': (string);
  'slots': (number);
}
