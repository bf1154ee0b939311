import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Empty } from '@eventstore/db-client/generated/shared_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';

/** Version reported to clients; only the Node test suite's version gates look at it. */
export const SERVER_VERSION = '24.10.0';

const PERSISTENT = 'event_store.client.persistent_subscriptions.persistentsubscriptions';
const STREAMS = 'event_store.client.streams.streams';

/**
 * What the client may call (§4.2, §10). BatchAppend is deliberately absent so the client uses
 * Append; without feature "stream" on GetInfo/List/ReplayParked the client would fall back to HTTP.
 */
function supportedMethods(): SupportedMethods {
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  const both = ['stream', 'all'];
  return new SupportedMethods()
    .setEventStoreServerVersion(SERVER_VERSION)
    .setMethodsList([
      method(STREAMS, 'read'),
      method(STREAMS, 'append'),
      method(STREAMS, 'delete'),
      method(STREAMS, 'tombstone'),
      method(PERSISTENT, 'create', both),
      method(PERSISTENT, 'update', both),
      method(PERSISTENT, 'delete', both),
      method(PERSISTENT, 'read', both),
      method(PERSISTENT, 'getinfo', both),
      method(PERSISTENT, 'list', both),
      method(PERSISTENT, 'replayparked', both),
      method(PERSISTENT, 'restartsubsystem'),
    ]);
}

export const getSupportedMethods: handleUnaryCall<Empty, SupportedMethods> = (_call, callback) => {
  callback(null, supportedMethods());
};
