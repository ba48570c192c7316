// Original file: gleam.proto


export interface ReadShardRequest {
  'shard'?: (string);
  'fromFrame'?: (number);
}

export interface ReadShardRequest__Output {
  'shard': (string);
  'fromFrame': (number);
}
