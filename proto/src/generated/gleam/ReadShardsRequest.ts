// Original file: gleam.proto


export interface ReadShardsRequest {
  'shards'?: (string)[];
  'sectioned'?: (boolean);
  'section'?: (number);
}

export interface ReadShardsRequest__Output {
  'shards': (string)[];
  'sectioned': (boolean);
  'section': (number);
}
