// Original file: gleam.proto


export interface ReleaseRequest {
  'jobId'?: (string);
}

export interface ReleaseRequest__Output {
  'jobId': (string);
}
