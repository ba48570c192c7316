// Loads proto/gleam.proto at run time (types come from proto-loader-gen-types, see src/generated).
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/gleam';

export const PROTO_PATH = path.join(__dirname, '..', 'gleam.proto');

/** Same options as the generated types (`npm run generate` in proto/). */
export const LOADER_OPTIONS: protoLoader.Options = { longs: Number, enums: String, defaults: true, oneofs: true };

let cached: ProtoGrpcType | undefined;

export function loadGleamProto(): ProtoGrpcType {
  cached ??= grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS)) as unknown as ProtoGrpcType;
  return cached;
}

const passThrough = {
  serialize: (b: Uint8Array) => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
  deserialize: (b: Buffer) => b,
};

/**
 * The Agent service with raw frames on the wire: ReadShard responses and WriteShard requests
 * are msgpack frames passed through untouched (never protobuf per row).
 */
export function agentServiceDefinition(): grpc.ServiceDefinition {
  const base = loadGleamProto().gleam.Agent.service as unknown as grpc.ServiceDefinition;
  return {
    ...base,
    ReadShard: { ...base.ReadShard, responseSerialize: passThrough.serialize, responseDeserialize: passThrough.deserialize },
    ReadShards: { ...base.ReadShards, responseSerialize: passThrough.serialize, responseDeserialize: passThrough.deserialize },
    ReadParts: { ...base.ReadParts, responseSerialize: passThrough.serialize, responseDeserialize: passThrough.deserialize },
    WriteShard: { ...base.WriteShard, requestSerialize: passThrough.serialize, requestDeserialize: passThrough.deserialize },
  };
}

export function masterServiceDefinition(): grpc.ServiceDefinition {
  return loadGleamProto().gleam.Master.service as unknown as grpc.ServiceDefinition;
}
