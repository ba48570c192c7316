// Original file: gleam.proto


export interface PartRef {
  'list'?: (number);
  'sectioned'?: (boolean);
  'section'?: (number);
}

export interface PartRef__Output {
  'list': (number);
  'sectioned': (boolean);
  'section': (number);
}
