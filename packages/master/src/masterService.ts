// The Master gRPC service: thin handlers mapping calls onto the ClusterState.
import type { Logger } from 'pino';
import { grpc, guardHandlers, secretMatches, UNAUTHENTICATED_MESSAGE, type AgentHeartbeat__Output, type MasterHandlers } from '@gleam/proto';
import type { ClusterState } from './clusterState';

function invalid(message: string): Partial<grpc.StatusObject> {
  return { code: grpc.status.INVALID_ARGUMENT, details: message };
}

export function masterHandlers(state: ClusterState, logger: Logger): MasterHandlers {
  return {
    Heartbeat(call) {
      // Identity of this stream: only the stream currently speaking for an agent may kill it.
      const stream = {};
      let address: string | undefined;
      let closed = false;
      const close = (reason: string) => {
        if (closed) return;
        closed = true;
        if (address) state.streamClosed(address, stream, reason);
      };
      call.on('data', (hb: AgentHeartbeat__Output) => {
        if (closed) return;
        if (!hb.address) {
          close('no address');
          // grpc-js turns an 'error' event into the call's status (destroy() would send none).
          call.emit('error', Object.assign(new Error('heartbeat without an address'), invalid('heartbeat without an address')));
          return;
        }
        if (address && hb.address !== address) {
          logger.warn({ agent: address, other: hb.address }, 'heartbeat stream changed its address: ignored');
          return;
        }
        address = hb.address;
        state.heartbeat(hb, stream);
        call.write({ masterTimeMs: Date.now() });
      });
      call.on('end', () => {
        close('heartbeat stream ended');
        call.end();
      });
      call.on('cancelled', () => close('heartbeat stream cancelled'));
      call.on('error', (e: Error) => close(`heartbeat stream failed: ${e.message}`));
      call.on('close', () => close('heartbeat stream closed'));
    },

    AllocateSlots(call, callback) {
      const { jobId, jobName, slots, driver } = call.request;
      if (!jobId) return callback(invalid('AllocateSlots needs a job_id'));
      callback(null, { grants: state.allocate(jobId, jobName, slots, driver || call.getPeer()) });
    },

    ReleaseSlots(call, callback) {
      if (!call.request.jobId) return callback(invalid('ReleaseSlots needs a job_id'));
      state.release(call.request.jobId);
      callback(null, {});
    },

    ReportJob(call, callback) {
      if (!call.request.jobId) return callback(invalid('ReportJob needs a job_id'));
      state.report(call.request);
      callback(null, {});
    },

    ClusterStatus(_call, callback) {
      callback(null, state.status());
    },
  };
}

/**
 * The handlers behind the secret check. Heartbeat is checked here rather than by guardHandlers,
 * whose refusal of a bidi stream (destroy) sends the client no status and leaves it hanging.
 */
export function guardedMasterHandlers(handlers: MasterHandlers, secret: string | undefined): grpc.UntypedServiceImplementation {
  const { Heartbeat, ...unaries } = handlers;
  const heartbeat: grpc.handleBidiStreamingCall<AgentHeartbeat__Output, object> = (call) => {
    if (secretMatches(call.metadata, secret)) return Heartbeat(call as Parameters<typeof Heartbeat>[0]);
    call.emit('error', Object.assign(new Error(UNAUTHENTICATED_MESSAGE), { code: grpc.status.UNAUTHENTICATED, details: UNAUTHENTICATED_MESSAGE }));
  };
  return { ...guardHandlers(unaries, secret), Heartbeat: heartbeat };
}
