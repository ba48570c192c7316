// Original file: gleam.proto


export interface DeleteShardsRequest {
  'shard'?: (string);
  'prefix'?: (string);
  'shards'?: (string)[];
  'jobId'?: (string);
}

export interface DeleteShardsRequest__Output {
  'shard': (string);
  'prefix': (string);
  'shards': (string)[];
  'jobId': (string);
}
