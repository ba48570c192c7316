// guardHandlers from @gleam/proto, except for the server-streaming methods: it ends those with
// call.destroy(err), which in grpc-js 1.14 never sends a status (the client waits forever), so
// they are refused here with emit('error'), which does send UNAUTHENTICATED.
import { grpc, guardHandlers, secretMatches, UNAUTHENTICATED_MESSAGE } from '@gleam/proto';

const SERVER_STREAMING = ['ExecuteTask', 'ReadShard', 'ReadShards', 'ReadParts'];

export function guardAgentHandlers(handlers: grpc.UntypedServiceImplementation, secret: string | undefined): grpc.UntypedServiceImplementation {
  if (!secret) return handlers;
  const guarded = guardHandlers(handlers, secret);
  for (const name of SERVER_STREAMING) {
    const h = handlers[name] as (call: grpc.ServerWritableStream<unknown, unknown>) => void;
    guarded[name] = ((call: grpc.ServerWritableStream<unknown, unknown>) => {
      if (secretMatches(call.metadata, secret)) return h(call);
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: UNAUTHENTICATED_MESSAGE, metadata: new grpc.Metadata() });
    }) as grpc.UntypedHandleCall;
  }
  return guarded;
}
