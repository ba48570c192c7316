// Original file: gleam.proto


export interface JobBeat {
  'jobId'?: (string);
  'jobName'?: (string);
  'driver'?: (string);
}

export interface JobBeat__Output {
  'jobId': (string);
  'jobName': (string);
  'driver': (string);
}
