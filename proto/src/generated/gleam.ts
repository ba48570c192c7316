import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AgentClient as _gleam_AgentClient, AgentDefinition as _gleam_AgentDefinition } from './gleam/Agent';
import type { AgentCancelJobRequest as _gleam_AgentCancelJobRequest, AgentCancelJobRequest__Output as _gleam_AgentCancelJobRequest__Output } from './gleam/AgentCancelJobRequest';
import type { AgentCancelJobResponse as _gleam_AgentCancelJobResponse, AgentCancelJobResponse__Output as _gleam_AgentCancelJobResponse__Output } from './gleam/AgentCancelJobResponse';
import type { AgentHeartbeat as _gleam_AgentHeartbeat, AgentHeartbeat__Output as _gleam_AgentHeartbeat__Output } from './gleam/AgentHeartbeat';
import type { AgentLost as _gleam_AgentLost, AgentLost__Output as _gleam_AgentLost__Output } from './gleam/AgentLost';
import type { AgentStatus as _gleam_AgentStatus, AgentStatus__Output as _gleam_AgentStatus__Output } from './gleam/AgentStatus';
import type { AllocateRequest as _gleam_AllocateRequest, AllocateRequest__Output as _gleam_AllocateRequest__Output } from './gleam/AllocateRequest';
import type { AllocateResponse as _gleam_AllocateResponse, AllocateResponse__Output as _gleam_AllocateResponse__Output } from './gleam/AllocateResponse';
import type { CancelJobRequest as _gleam_CancelJobRequest, CancelJobRequest__Output as _gleam_CancelJobRequest__Output } from './gleam/CancelJobRequest';
import type { CancelJobResponse as _gleam_CancelJobResponse, CancelJobResponse__Output as _gleam_CancelJobResponse__Output } from './gleam/CancelJobResponse';
import type { ClusterStatusResponse as _gleam_ClusterStatusResponse, ClusterStatusResponse__Output as _gleam_ClusterStatusResponse__Output } from './gleam/ClusterStatusResponse';
import type { DeleteShardsRequest as _gleam_DeleteShardsRequest, DeleteShardsRequest__Output as _gleam_DeleteShardsRequest__Output } from './gleam/DeleteShardsRequest';
import type { Empty as _gleam_Empty, Empty__Output as _gleam_Empty__Output } from './gleam/Empty';
import type { ExecuteRequest as _gleam_ExecuteRequest, ExecuteRequest__Output as _gleam_ExecuteRequest__Output } from './gleam/ExecuteRequest';
import type { HeartbeatAck as _gleam_HeartbeatAck, HeartbeatAck__Output as _gleam_HeartbeatAck__Output } from './gleam/HeartbeatAck';
import type { JobBeat as _gleam_JobBeat, JobBeat__Output as _gleam_JobBeat__Output } from './gleam/JobBeat';
import type { JobCancelled as _gleam_JobCancelled, JobCancelled__Output as _gleam_JobCancelled__Output } from './gleam/JobCancelled';
import type { JobNotice as _gleam_JobNotice, JobNotice__Output as _gleam_JobNotice__Output } from './gleam/JobNotice';
import type { JobReport as _gleam_JobReport, JobReport__Output as _gleam_JobReport__Output } from './gleam/JobReport';
import type { JobStatus as _gleam_JobStatus, JobStatus__Output as _gleam_JobStatus__Output } from './gleam/JobStatus';
import type { LastBatch as _gleam_LastBatch, LastBatch__Output as _gleam_LastBatch__Output } from './gleam/LastBatch';
import type { LeaseHeld as _gleam_LeaseHeld, LeaseHeld__Output as _gleam_LeaseHeld__Output } from './gleam/LeaseHeld';
import type { MasterClient as _gleam_MasterClient, MasterDefinition as _gleam_MasterDefinition } from './gleam/Master';
import type { PartRef as _gleam_PartRef, PartRef__Output as _gleam_PartRef__Output } from './gleam/PartRef';
import type { ReadPartsRequest as _gleam_ReadPartsRequest, ReadPartsRequest__Output as _gleam_ReadPartsRequest__Output } from './gleam/ReadPartsRequest';
import type { ReadShardRequest as _gleam_ReadShardRequest, ReadShardRequest__Output as _gleam_ReadShardRequest__Output } from './gleam/ReadShardRequest';
import type { ReadShardsRequest as _gleam_ReadShardsRequest, ReadShardsRequest__Output as _gleam_ReadShardsRequest__Output } from './gleam/ReadShardsRequest';
import type { ReleaseRequest as _gleam_ReleaseRequest, ReleaseRequest__Output as _gleam_ReleaseRequest__Output } from './gleam/ReleaseRequest';
import type { ShardFrame as _gleam_ShardFrame, ShardFrame__Output as _gleam_ShardFrame__Output } from './gleam/ShardFrame';
import type { ShardList as _gleam_ShardList, ShardList__Output as _gleam_ShardList__Output } from './gleam/ShardList';
import type { SlotGrant as _gleam_SlotGrant, SlotGrant__Output as _gleam_SlotGrant__Output } from './gleam/SlotGrant';
import type { StageStatus as _gleam_StageStatus, StageStatus__Output as _gleam_StageStatus__Output } from './gleam/StageStatus';
import type { StreamReport as _gleam_StreamReport, StreamReport__Output as _gleam_StreamReport__Output } from './gleam/StreamReport';
import type { StreamStatus as _gleam_StreamStatus, StreamStatus__Output as _gleam_StreamStatus__Output } from './gleam/StreamStatus';
import type { TaskDone as _gleam_TaskDone, TaskDone__Output as _gleam_TaskDone__Output } from './gleam/TaskDone';
import type { TaskEvent as _gleam_TaskEvent, TaskEvent__Output as _gleam_TaskEvent__Output } from './gleam/TaskEvent';
import type { TaskFailed as _gleam_TaskFailed, TaskFailed__Output as _gleam_TaskFailed__Output } from './gleam/TaskFailed';
import type { TaskProgress as _gleam_TaskProgress, TaskProgress__Output as _gleam_TaskProgress__Output } from './gleam/TaskProgress';
import type { TaskStarted as _gleam_TaskStarted, TaskStarted__Output as _gleam_TaskStarted__Output } from './gleam/TaskStarted';
import type { TaskStatus as _gleam_TaskStatus, TaskStatus__Output as _gleam_TaskStatus__Output } from './gleam/TaskStatus';
import type { WriteShardResponse as _gleam_WriteShardResponse, WriteShardResponse__Output as _gleam_WriteShardResponse__Output } from './gleam/WriteShardResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  gleam: {
    Agent: SubtypeConstructor<typeof grpc.Client, _gleam_AgentClient> & { service: _gleam_AgentDefinition }
    AgentCancelJobRequest: MessageTypeDefinition<_gleam_AgentCancelJobRequest, _gleam_AgentCancelJobRequest__Output>
    AgentCancelJobResponse: MessageTypeDefinition<_gleam_AgentCancelJobResponse, _gleam_AgentCancelJobResponse__Output>
    AgentHeartbeat: MessageTypeDefinition<_gleam_AgentHeartbeat, _gleam_AgentHeartbeat__Output>
    AgentLost: MessageTypeDefinition<_gleam_AgentLost, _gleam_AgentLost__Output>
    AgentStatus: MessageTypeDefinition<_gleam_AgentStatus, _gleam_AgentStatus__Output>
    AllocateRequest: MessageTypeDefinition<_gleam_AllocateRequest, _gleam_AllocateRequest__Output>
    AllocateResponse: MessageTypeDefinition<_gleam_AllocateResponse, _gleam_AllocateResponse__Output>
    CancelJobRequest: MessageTypeDefinition<_gleam_CancelJobRequest, _gleam_CancelJobRequest__Output>
    CancelJobResponse: MessageTypeDefinition<_gleam_CancelJobResponse, _gleam_CancelJobResponse__Output>
    ClusterStatusResponse: MessageTypeDefinition<_gleam_ClusterStatusResponse, _gleam_ClusterStatusResponse__Output>
    DeleteShardsRequest: MessageTypeDefinition<_gleam_DeleteShardsRequest, _gleam_DeleteShardsRequest__Output>
    Empty: MessageTypeDefinition<_gleam_Empty, _gleam_Empty__Output>
    ExecuteRequest: MessageTypeDefinition<_gleam_ExecuteRequest, _gleam_ExecuteRequest__Output>
    HeartbeatAck: MessageTypeDefinition<_gleam_HeartbeatAck, _gleam_HeartbeatAck__Output>
    JobBeat: MessageTypeDefinition<_gleam_JobBeat, _gleam_JobBeat__Output>
    JobCancelled: MessageTypeDefinition<_gleam_JobCancelled, _gleam_JobCancelled__Output>
    JobNotice: MessageTypeDefinition<_gleam_JobNotice, _gleam_JobNotice__Output>
    JobReport: MessageTypeDefinition<_gleam_JobReport, _gleam_JobReport__Output>
    JobStatus: MessageTypeDefinition<_gleam_JobStatus, _gleam_JobStatus__Output>
    LastBatch: MessageTypeDefinition<_gleam_LastBatch, _gleam_LastBatch__Output>
    LeaseHeld: MessageTypeDefinition<_gleam_LeaseHeld, _gleam_LeaseHeld__Output>
    Master: SubtypeConstructor<typeof grpc.Client, _gleam_MasterClient> & { service: _gleam_MasterDefinition }
    PartRef: MessageTypeDefinition<_gleam_PartRef, _gleam_PartRef__Output>
    ReadPartsRequest: MessageTypeDefinition<_gleam_ReadPartsRequest, _gleam_ReadPartsRequest__Output>
    ReadShardRequest: MessageTypeDefinition<_gleam_ReadShardRequest, _gleam_ReadShardRequest__Output>
    ReadShardsRequest: MessageTypeDefinition<_gleam_ReadShardsRequest, _gleam_ReadShardsRequest__Output>
    ReleaseRequest: MessageTypeDefinition<_gleam_ReleaseRequest, _gleam_ReleaseRequest__Output>
    ShardFrame: MessageTypeDefinition<_gleam_ShardFrame, _gleam_ShardFrame__Output>
    ShardList: MessageTypeDefinition<_gleam_ShardList, _gleam_ShardList__Output>
    SlotGrant: MessageTypeDefinition<_gleam_SlotGrant, _gleam_SlotGrant__Output>
    StageStatus: MessageTypeDefinition<_gleam_StageStatus, _gleam_StageStatus__Output>
    StreamReport: MessageTypeDefinition<_gleam_StreamReport, _gleam_StreamReport__Output>
    StreamStatus: MessageTypeDefinition<_gleam_StreamStatus, _gleam_StreamStatus__Output>
    TaskDone: MessageTypeDefinition<_gleam_TaskDone, _gleam_TaskDone__Output>
    TaskEvent: MessageTypeDefinition<_gleam_TaskEvent, _gleam_TaskEvent__Output>
    TaskFailed: MessageTypeDefinition<_gleam_TaskFailed, _gleam_TaskFailed__Output>
    TaskProgress: MessageTypeDefinition<_gleam_TaskProgress, _gleam_TaskProgress__Output>
    TaskStarted: MessageTypeDefinition<_gleam_TaskStarted, _gleam_TaskStarted__Output>
    TaskStatus: MessageTypeDefinition<_gleam_TaskStatus, _gleam_TaskStatus__Output>
    WriteShardResponse: MessageTypeDefinition<_gleam_WriteShardResponse, _gleam_WriteShardResponse__Output>
  }
}

