// Original file: gleam.proto


export interface DeleteShardsRequest {
  'shard'?: (string);
  'prefix'?: (string);
  'shards'?: (string)[];
}

export interface DeleteShardsRequest__Output {
  'shard': (string);
  'prefix': (string);
  'shards': (string)[];
}
