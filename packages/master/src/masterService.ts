// The Master gRPC service: thin handlers mapping calls onto the ClusterState.
import type { Logger } from 'pino';
import { grpc, guardHandlers, isStreamState, secretMatches, STREAM_STATES, UNAUTHENTICATED_MESSAGE, type AgentHeartbeat__Output, type JobBeat__Output, type JobNotice, type MasterHandlers } from '@gleam/proto';
import type { ClusterState } from './clusterState';
import type { LeaseStream } from './jobLeases';

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

    HoldJob(call) {
      let jobId: string | undefined;
      /** The job had finished when the stream opened: beats are answered, nothing is watched. */
      let finished = false;
      let closed = false;
      // Ends the stream from our side with a last notice (the job is over for the master).
      const stream: LeaseStream = {
        cancelled(reason) {
          if (closed) return;
          closed = true;
          const notice: JobNotice = { cancelled: { reason } };
          call.write(notice);
          call.end();
        },
        agentLost(address, reason) {
          if (closed) return;
          const notice: JobNotice = { agentLost: { address, reason } };
          call.write(notice);
        },
      };
      const close = (why: string) => {
        if (closed) return;
        closed = true;
        if (jobId) state.leaseClosed(jobId, stream, why);
      };
      call.on('data', (beat: JobBeat__Output) => {
        if (closed) return;
        if (!jobId) {
          if (!beat.jobId) {
            closed = true;
            call.emit('error', Object.assign(new Error('the first JobBeat must name the job'), invalid('the first JobBeat must name the job')));
            return;
          }
          jobId = beat.jobId;
          const answer = state.openLease(jobId, beat.jobName, beat.driver || call.getPeer(), stream);
          if (answer.kind === 'over') return stream.cancelled(answer.reason);
          finished = answer.kind === 'finished';
        } else if (beat.jobId && beat.jobId !== jobId) {
          logger.warn({ job: jobId, other: beat.jobId }, 'a job lease stream changed its job: ignored');
          return;
        } else if (!finished && !state.beat(jobId, stream)) {
          if (state.jobs.isRunning(jobId)) {
            // A newer stream speaks for the job: this one has nothing more to say.
            closed = true;
            call.end();
            return;
          }
          // The job finished (its driver reported it): beats are answered until the driver closes.
          finished = true;
        }
        const notice: JobNotice = { held: { masterTimeMs: Date.now() } };
        call.write(notice);
      });
      // Node's HTTP/2 client cancels a stream by ending it first, so a driver that went away
      // usually shows up here too: either way the job had not finished.
      call.on('end', () => {
        close('ended before the job finished');
        call.end();
      });
      call.on('cancelled', () => close('was cancelled (the driver went away)'));
      call.on('error', (e: Error) => close(`failed: ${e.message}`));
      call.on('close', () => close('closed'));
    },

    CancelJob(call, callback) {
      const { jobId, reason } = call.request;
      if (!jobId) return callback(invalid('CancelJob needs a job_id'));
      callback(null, state.cancel(jobId, reason));
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

    ReportStream(call, callback) {
      const r = call.request;
      if (!r.streamId) return callback(invalid('ReportStream needs a stream_id'));
      if (r.state && !isStreamState(r.state)) return callback(invalid(`ReportStream: state must be one of ${STREAM_STATES.join(', ')}, got ${JSON.stringify(r.state)}`));
      state.reportStream(r);
      callback(null, {});
    },

    ClusterStatus(_call, callback) {
      callback(null, state.status());
    },
  };
}

/**
 * The handlers behind the secret check. The bidi streams (Heartbeat, HoldJob) are checked here
 * rather than by guardHandlers, whose refusal of a bidi stream (destroy) sends the client no
 * status and leaves it hanging.
 */
export function guardedMasterHandlers(handlers: MasterHandlers, secret: string | undefined): grpc.UntypedServiceImplementation {
  const { Heartbeat, HoldJob, ...unaries } = handlers;
  const guardBidi = <H extends (call: never) => void>(h: H): grpc.handleBidiStreamingCall<unknown, unknown> => (call) => {
    if (secretMatches(call.metadata, secret)) return h(call as never);
    call.emit('error', Object.assign(new Error(UNAUTHENTICATED_MESSAGE), { code: grpc.status.UNAUTHENTICATED, details: UNAUTHENTICATED_MESSAGE }));
  };
  return { ...guardHandlers(unaries, secret), Heartbeat: guardBidi(Heartbeat), HoldJob: guardBidi(HoldJob) };
}
