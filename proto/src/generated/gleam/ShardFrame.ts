// Original file: gleam.proto


export interface ShardFrame {
  'data'?: (Buffer | Uint8Array | string);
}

export interface ShardFrame__Output {
  'data': (Buffer);
}
