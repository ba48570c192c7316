// Original file: gleam.proto


export interface AllocateRequest {
  'jobId'?: (string);
  'jobName'?: (string);
  'slots'?: (number);
  'driver'?: (string);
}

export interface AllocateRequest__Output {
  'jobId': (string);
  'jobName': (string);
  'slots': (number);
  'driver': (string);
}
