// Original file: gleam.proto


export interface ShardList {
  'shards'?: (string)[];
}

export interface ShardList__Output {
  'shards': (string)[];
}
