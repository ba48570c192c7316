// Original file: gleam.proto


export interface ExecuteRequest {
  'jobId'?: (string);
  'task'?: (Buffer | Uint8Array | string);
  'shardLocations'?: ({[key: string]: string});
  'locations'?: (Buffer | Uint8Array | string);
  'progress'?: (boolean);
}

export interface ExecuteRequest__Output {
  'jobId': (string);
  'task': (Buffer);
  'shardLocations': ({[key: string]: string});
  'locations': (Buffer);
  'progress': (boolean);
}
