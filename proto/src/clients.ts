// gRPC clients and servers with the options this project measured (flow-control window for
// frame streams, no message size limits for frames, keepalive to notice dead peers), in plaintext
// or with TLS (see tls.ts).
import * as grpc from '@grpc/grpc-js';
import type { AgentClient } from './generated/gleam/Agent';
import type { MasterClient } from './generated/gleam/Master';
import { agentServiceDefinition, masterServiceDefinition } from './loadProto';
import { channelSecurity, serverCredentials, type ClientTls, type ServerTls } from './tls';

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  'grpc-node.flow_control_window': 32 * 1024 * 1024,
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  'grpc.keepalive_time_ms': 10000,
  // A peer busy for a few seconds (GC, a loaded machine) is not dead: a 5 s answer deadline
  // dropped healthy connections mid-job on a loaded 2-core machine. A dead peer's connection
  // closes at once; a hung agent is the master's heartbeat timeout to notice.
  'grpc.keepalive_timeout_ms': 20000,
  'grpc.keepalive_permit_without_calls': 1,
};

export const SERVER_OPTIONS: grpc.ChannelOptions = {
  'grpc.max_receive_message_length': -1,
  'grpc.max_send_message_length': -1,
  'grpc-node.flow_control_window': 32 * 1024 * 1024,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5000,
};

let AgentCtor: grpc.ServiceClientConstructor | undefined;
let MasterCtor: grpc.ServiceClientConstructor | undefined;

/** A client of an agent; with `tls`, over TLS checking the agent's certificate against `tls.ca`. */
export function createAgentClient(address: string, tls?: ClientTls): AgentClient {
  AgentCtor ??= grpc.makeGenericClientConstructor(agentServiceDefinition(), 'Agent');
  const { credentials, options } = channelSecurity(address, tls);
  return new AgentCtor(address, credentials, { ...CHANNEL_OPTIONS, ...options }) as unknown as AgentClient;
}

/** A client of the master; with `tls`, over TLS checking the master's certificate against `tls.ca`. */
export function createMasterClient(address: string, tls?: ClientTls): MasterClient {
  MasterCtor ??= grpc.makeGenericClientConstructor(masterServiceDefinition(), 'Master');
  const { credentials, options } = channelSecurity(address, tls);
  return new MasterCtor(address, credentials, { ...CHANNEL_OPTIONS, ...options }) as unknown as MasterClient;
}

/** Binds a server, with TLS when `tls` is given; resolves to the bound port (pass port 0 for a free one). */
export function bindServer(server: grpc.Server, host: string, port: number, tls?: ServerTls): Promise<number> {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return new Promise((resolve, reject) => {
    server.bindAsync(`${h}:${port}`, serverCredentials(tls), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
}

export function newServer(): grpc.Server {
  return new grpc.Server(SERVER_OPTIONS);
}

/** Unary call as a promise with a deadline. */
export function unary<Req, Res>(
  fn: (req: Req, md: grpc.Metadata, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
  md: grpc.Metadata,
  timeoutMs: number,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(req, md, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

export { grpc };
