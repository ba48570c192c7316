// Original file: gleam.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AgentHeartbeat as _gleam_AgentHeartbeat, AgentHeartbeat__Output as _gleam_AgentHeartbeat__Output } from '../gleam/AgentHeartbeat';
import type { AllocateRequest as _gleam_AllocateRequest, AllocateRequest__Output as _gleam_AllocateRequest__Output } from '../gleam/AllocateRequest';
import type { AllocateResponse as _gleam_AllocateResponse, AllocateResponse__Output as _gleam_AllocateResponse__Output } from '../gleam/AllocateResponse';
import type { CancelJobRequest as _gleam_CancelJobRequest, CancelJobRequest__Output as _gleam_CancelJobRequest__Output } from '../gleam/CancelJobRequest';
import type { CancelJobResponse as _gleam_CancelJobResponse, CancelJobResponse__Output as _gleam_CancelJobResponse__Output } from '../gleam/CancelJobResponse';
import type { ClusterStatusResponse as _gleam_ClusterStatusResponse, ClusterStatusResponse__Output as _gleam_ClusterStatusResponse__Output } from '../gleam/ClusterStatusResponse';
import type { Empty as _gleam_Empty, Empty__Output as _gleam_Empty__Output } from '../gleam/Empty';
import type { HeartbeatAck as _gleam_HeartbeatAck, HeartbeatAck__Output as _gleam_HeartbeatAck__Output } from '../gleam/HeartbeatAck';
import type { JobBeat as _gleam_JobBeat, JobBeat__Output as _gleam_JobBeat__Output } from '../gleam/JobBeat';
import type { JobNotice as _gleam_JobNotice, JobNotice__Output as _gleam_JobNotice__Output } from '../gleam/JobNotice';
import type { JobReport as _gleam_JobReport, JobReport__Output as _gleam_JobReport__Output } from '../gleam/JobReport';
import type { ReleaseRequest as _gleam_ReleaseRequest, ReleaseRequest__Output as _gleam_ReleaseRequest__Output } from '../gleam/ReleaseRequest';
import type { StreamReport as _gleam_StreamReport, StreamReport__Output as _gleam_StreamReport__Output } from '../gleam/StreamReport';

export interface MasterClient extends grpc.Client {
  AllocateSlots(argument: _gleam_AllocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateSlots(argument: _gleam_AllocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateSlots(argument: _gleam_AllocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  AllocateSlots(argument: _gleam_AllocateRequest, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateSlots(argument: _gleam_AllocateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateSlots(argument: _gleam_AllocateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateSlots(argument: _gleam_AllocateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  allocateSlots(argument: _gleam_AllocateRequest, callback: grpc.requestCallback<_gleam_AllocateResponse__Output>): grpc.ClientUnaryCall;
  
  CancelJob(argument: _gleam_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _gleam_CancelJobRequest, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _gleam_CancelJobRequest, callback: grpc.requestCallback<_gleam_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  ClusterStatus(argument: _gleam_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _gleam_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _gleam_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _gleam_Empty, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _gleam_Empty, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _gleam_Empty, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _gleam_Empty, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _gleam_Empty, callback: grpc.requestCallback<_gleam_ClusterStatusResponse__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_AgentHeartbeat, _gleam_HeartbeatAck__Output>;
  Heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_AgentHeartbeat, _gleam_HeartbeatAck__Output>;
  heartbeat(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_AgentHeartbeat, _gleam_HeartbeatAck__Output>;
  heartbeat(options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_AgentHeartbeat, _gleam_HeartbeatAck__Output>;
  
  HoldJob(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_JobBeat, _gleam_JobNotice__Output>;
  HoldJob(options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_JobBeat, _gleam_JobNotice__Output>;
  holdJob(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_JobBeat, _gleam_JobNotice__Output>;
  holdJob(options?: grpc.CallOptions): grpc.ClientDuplexStream<_gleam_JobBeat, _gleam_JobNotice__Output>;
  
  ReleaseSlots(argument: _gleam_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseSlots(argument: _gleam_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseSlots(argument: _gleam_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReleaseSlots(argument: _gleam_ReleaseRequest, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  releaseSlots(argument: _gleam_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  releaseSlots(argument: _gleam_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  releaseSlots(argument: _gleam_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  releaseSlots(argument: _gleam_ReleaseRequest, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  
  ReportJob(argument: _gleam_JobReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportJob(argument: _gleam_JobReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportJob(argument: _gleam_JobReport, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportJob(argument: _gleam_JobReport, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportJob(argument: _gleam_JobReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportJob(argument: _gleam_JobReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportJob(argument: _gleam_JobReport, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportJob(argument: _gleam_JobReport, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  
  ReportStream(argument: _gleam_StreamReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportStream(argument: _gleam_StreamReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportStream(argument: _gleam_StreamReport, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  ReportStream(argument: _gleam_StreamReport, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportStream(argument: _gleam_StreamReport, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportStream(argument: _gleam_StreamReport, metadata: grpc.Metadata, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportStream(argument: _gleam_StreamReport, options: grpc.CallOptions, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  reportStream(argument: _gleam_StreamReport, callback: grpc.requestCallback<_gleam_Empty__Output>): grpc.ClientUnaryCall;
  
}

export interface MasterHandlers extends grpc.UntypedServiceImplementation {
  AllocateSlots: grpc.handleUnaryCall<_gleam_AllocateRequest__Output, _gleam_AllocateResponse>;
  
  CancelJob: grpc.handleUnaryCall<_gleam_CancelJobRequest__Output, _gleam_CancelJobResponse>;
  
  ClusterStatus: grpc.handleUnaryCall<_gleam_Empty__Output, _gleam_ClusterStatusResponse>;
  
  Heartbeat: grpc.handleBidiStreamingCall<_gleam_AgentHeartbeat__Output, _gleam_HeartbeatAck>;
  
  HoldJob: grpc.handleBidiStreamingCall<_gleam_JobBeat__Output, _gleam_JobNotice>;
  
  ReleaseSlots: grpc.handleUnaryCall<_gleam_ReleaseRequest__Output, _gleam_Empty>;
  
  ReportJob: grpc.handleUnaryCall<_gleam_JobReport__Output, _gleam_Empty>;
  
  ReportStream: grpc.handleUnaryCall<_gleam_StreamReport__Output, _gleam_Empty>;
  
}

export interface MasterDefinition extends grpc.ServiceDefinition {
  AllocateSlots: MethodDefinition<_gleam_AllocateRequest, _gleam_AllocateResponse, _gleam_AllocateRequest__Output, _gleam_AllocateResponse__Output>
  CancelJob: MethodDefinition<_gleam_CancelJobRequest, _gleam_CancelJobResponse, _gleam_CancelJobRequest__Output, _gleam_CancelJobResponse__Output>
  ClusterStatus: MethodDefinition<_gleam_Empty, _gleam_ClusterStatusResponse, _gleam_Empty__Output, _gleam_ClusterStatusResponse__Output>
  Heartbeat: MethodDefinition<_gleam_AgentHeartbeat, _gleam_HeartbeatAck, _gleam_AgentHeartbeat__Output, _gleam_HeartbeatAck__Output>
  HoldJob: MethodDefinition<_gleam_JobBeat, _gleam_JobNotice, _gleam_JobBeat__Output, _gleam_JobNotice__Output>
  ReleaseSlots: MethodDefinition<_gleam_ReleaseRequest, _gleam_Empty, _gleam_ReleaseRequest__Output, _gleam_Empty__Output>
  ReportJob: MethodDefinition<_gleam_JobReport, _gleam_Empty, _gleam_JobReport__Output, _gleam_Empty__Output>
  ReportStream: MethodDefinition<_gleam_StreamReport, _gleam_Empty, _gleam_StreamReport__Output, _gleam_Empty__Output>
}
