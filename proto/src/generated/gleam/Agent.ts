// Original file: gleam.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentCancelJobRequest as _gleam_AgentCancelJobRequest, AgentCancelJobRequest__Output as _gleam_AgentCancelJobRequest__Output } from '../gleam/AgentCancelJobRequest';
import type { AgentCancelJobResponse as _gleam_AgentCancelJobResponse, AgentCancelJobResponse__Output as _gleam_AgentCancelJobResponse__Output } from '../gleam/AgentCancelJobResponse';
import type { AgentStatus as _gleam_AgentStatus, AgentStatus__Output as _gleam_AgentStatus__Output } from '../gleam/AgentStatus';
import type { DeleteShardsRequest as _gleam_DeleteShardsRequest, DeleteShardsRequest__Output as _gleam_DeleteShardsRequest__Output } from '../gleam/DeleteShardsRequest';
import type { Empty as _gleam_Empty, Empty__Output as _gleam_Empty__Output } from '../gleam/Empty';
import type { ExecuteRequest as _gleam_ExecuteRequest, ExecuteRequest__Output as _gleam_ExecuteRequest__Output } from '../gleam/ExecuteRequest';
import type { ReadPartsRequest as _gleam_ReadPartsRequest, ReadPartsRequest__Output as _gleam_ReadPartsRequest__Output } from '../gleam/ReadPartsRequest';
import type { ReadShardRequest as _gleam_ReadShardRequest, ReadShardRequest__Output as _gleam_ReadShardRequest__Output } from '../gleam/ReadShardRequest';
import type { ReadShardsRequest as _gleam_ReadShardsRequest, ReadShardsRequest__Output as _gleam_ReadShardsRequest__Output } from '../gleam/ReadShardsRequest';
import type { ShardFrame as _gleam_ShardFrame, ShardFrame__Output as _gleam_ShardFrame__Output } from '../gleam/ShardFrame';
import type { TaskEvent as _gleam_TaskEvent, TaskEvent__Output as _gleam_TaskEvent__Output } from '../gleam/TaskEvent';
import type { WriteShardResponse as _gleam_WriteShardResponse, WriteShardResponse__Output as _gleam_WriteShardResponse__Output } from '../gleam/WriteShardResponse';

export interface AgentClient extends grpc.Client {
  CancelJob(argument: _gleam_AgentCancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_AgentCancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_AgentCancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_AgentCancelJobRequest, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_AgentCancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_AgentCancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_AgentCancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_AgentCancelJobRequest, callback: grpc.requestCallback<_gleam_AgentCancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteShards(argument: _gleam_DeleteShardsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  DeleteShards(argument: _gleam_DeleteShardsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  DeleteShards(argument: _gleam_DeleteShardsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  DeleteShards(argument: _gleam_DeleteShardsRequest, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  deleteShards(argument: _gleam_DeleteShardsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  deleteShards(argument: _gleam_DeleteShardsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  deleteShards(argument: _gleam_DeleteShardsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  deleteShards(argument: _gleam_DeleteShardsRequest, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  
  ExecuteTask(argument: _gleam_ExecuteRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_TaskEvent__Output>;
  ExecuteTask(argument: _gleam_ExecuteRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_TaskEvent__Output>;
  executeTask(argument: _gleam_ExecuteRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_TaskEvent__Output>;
  executeTask(argument: _gleam_ExecuteRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_TaskEvent__Output>;
  
  ReadParts(argument: _gleam_ReadPartsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  ReadParts(argument: _gleam_ReadPartsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readParts(argument: _gleam_ReadPartsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readParts(argument: _gleam_ReadPartsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  
  ReadShard(argument: _gleam_ReadShardRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  ReadShard(argument: _gleam_ReadShardRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readShard(argument: _gleam_ReadShardRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readShard(argument: _gleam_ReadShardRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  
  ReadShards(argument: _gleam_ReadShardsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  ReadShards(argument: _gleam_ReadShardsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readShards(argument: _gleam_ReadShardsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  readShards(argument: _gleam_ReadShardsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_gleam_ShardFrame__Output>;
  
  Status(argument: _gleam_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _gleam_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _gleam_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  Status(argument: _gleam_Empty, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _gleam_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _gleam_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _gleam_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  status(argument: _gleam_Empty, callback: grpc.requestCallback<_gleam_AgentStatus__Output>): grpc.ClientUnaryCall;
  
  WriteShard(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  WriteShard(metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  WriteShard(options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  WriteShard(callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  writeShard(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  writeShard(metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  writeShard(options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  writeShard(callback: grpc.requestCallback<_gleam_WriteShardResponse__Output>): grpc.ClientWritableStream<_gleam_ShardFrame>;
  
}

export interface AgentHandlers extends grpc.UntypedServiceImplementation {
  CancelJob: grpc.handleUnaryCall<_gleam_AgentCancelJobRequest__Output, _gleam_AgentCancelJobResponse>;
  
  DeleteShards: grpc.handleUnaryCall<_gleam_DeleteShardsRequest__Output, _gleam_Empty>;
  
  ExecuteTask: grpc.handleServerStreamingCall<_gleam_ExecuteRequest__Output, _gleam_TaskEvent>;
  
  ReadParts: grpc.handleServerStreamingCall<_gleam_ReadPartsRequest__Output, _gleam_ShardFrame>;
  
  ReadShard: grpc.handleServerStreamingCall<_gleam_ReadShardRequest__Output, _gleam_ShardFrame>;
  
  ReadShards: grpc.handleServerStreamingCall<_gleam_ReadShardsRequest__Output, _gleam_ShardFrame>;
  
  Status: grpc.handleUnaryCall<_gleam_Empty__Output, _gleam_AgentStatus>;
  
  WriteShard: grpc.handleClientStreamingCall<_gleam_ShardFrame__Output, _gleam_WriteShardResponse>;
  
}

export interface AgentDefinition extends grpc.ServiceDefinition {
  CancelJob: MethodDefinition<_gleam_AgentCancelJobRequest, _gleam_AgentCancelJobResponse, _gleam_AgentCancelJobRequest__Output, _gleam_AgentCancelJobResponse__Output>
  DeleteShards: MethodDefinition<_gleam_DeleteShardsRequest, _gleam_Empty, _gleam_DeleteShardsRequest__Output, _gleam_Empty__Output>
  ExecuteTask: MethodDefinition<_gleam_ExecuteRequest, _gleam_TaskEvent, _gleam_ExecuteRequest__Output, _gleam_TaskEvent__Output>
  ReadParts: MethodDefinition<_gleam_ReadPartsRequest, _gleam_ShardFrame, _gleam_ReadPartsRequest__Output, _gleam_ShardFrame__Output>
  ReadShard: MethodDefinition<_gleam_ReadShardRequest, _gleam_ShardFrame, _gleam_ReadShardRequest__Output, _gleam_ShardFrame__Output>
  ReadShards: MethodDefinition<_gleam_ReadShardsRequest, _gleam_ShardFrame, _gleam_ReadShardsRequest__Output, _gleam_ShardFrame__Output>
  Status: MethodDefinition<_gleam_Empty, _gleam_AgentStatus, _gleam_Empty__Output, _gleam_AgentStatus__Output>
  WriteShard: MethodDefinition<_gleam_ShardFrame, _gleam_WriteShardResponse, _gleam_ShardFrame__Output, _gleam_WriteShardResponse__Output>
}
