/**
 * subwatch as a library for Node services: a deduplicating persistent-subscription consumer
 * with a durable dedup store and a sink (your own handler, or a webhook).
 *
 * Guarantee: an event is acked only after the sink succeeded *and* its dedup key is durably
 * recorded as done; a redelivery of a done key is acked without calling the sink. The sink is
 * never called twice at once for one key. The one repeat that cannot be ruled out — the sink
 * succeeded, then the process died before the key was recorded — comes with the same key.
 *
 * @example
 * ```ts
 * import { EventStoreDBClient } from '@eventstore/db-client';
 * import pino from 'pino';
 * import { createDeduplicatingSubscriber, createHandlerSink, createSqliteDedupStore, park } from './lib';
 *
 * const subscriber = createDeduplicatingSubscriber({
 *   client: EventStoreDBClient.connectionString('esdb://127.0.0.1:2113?tls=false'),
 *   stream: 'orders',              // or '$all'
 *   group: 'billing',              // the group must exist (or be created by you)
 *   store: createSqliteDedupStore({ path: './data/dedup.db' }),
 *   dedupKey: 'eventId',           // or 'streamRevision', 'metadata:<field>', 'data:<json.path>'
 *   logger: pino(),
 *   sink: createHandlerSink(async (event) => {
 *     if (!isValid(event.data)) return park('invalid order');   // nack park now
 *     await billing.charge(event.data, { idempotencyKey: event.key }); // a throw → nack retry
 *   }),
 * });
 * subscriber.start();
 * process.once('SIGTERM', () => void subscriber.stop()); // drains in-flight calls, sends their acks
 * ```
 *
 * While not live, `getFailure()` (and `getSummary().failure`) says why — one of
 * `connectionFailureKinds` — and the subscriber retries with capped backoff; every suppressed
 * duplicate is counted under one of `duplicateCauses` (per epoch and in `getSummary()`).
 *
 * Done keys accumulate: run `createDedupPruner({ store, retentionMs, logger }).start()` to delete
 * keys older than your redelivery horizon (subwatch uses 7 days by default).
 */

export {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
  type DeduplicatingSubscriberOptions,
  type ReceivedInfo,
  type SubscriberFailure,
} from './subscriber/deduplicating-subscriber';
export {
  connectionFailureKinds,
  describeConnectionFailure,
  type ConnectionFailureKind,
} from './subscriber/connection-failure';
export { duplicateCauses, type DuplicateCause } from './subscriber/duplicate-cause';
export type { Delivery, Sink, SinkResult } from './subscriber/sink';
export type { DedupKeySpec } from './subscriber/dedup-key';
export type { BackoffOptions } from './subscriber/backoff';

export { createHandlerSink, park, retry, type EventHandler } from './subscriber/handler-sink';
export { createWebhookSink, toWebhookBody, type WebhookBody, type WebhookSinkOptions } from './subscriber/webhook-sink';

export { createSqliteDedupStore, type SqliteDedupStoreOptions } from './dedup/sqlite-dedup-store';
export { createMemoryDedupStore, type MemoryDedupStoreOptions } from './dedup/memory-dedup-store';
export { createDedupPruner, type DedupPruner, type DedupPrunerOptions } from './dedup/dedup-pruner';
export type { ClaimResult, DedupStore, EpochCounters } from './dedup/dedup-store';

export type {
  PersistentSubscriptionSource,
  SourceEvent,
  SourceRecord,
  SourceSubscription,
} from './esdb/persistent-subscription-source';
export type {
  DuplicatesByCause,
  Epoch,
  EpochRecord,
  SubscriberFailureInfo,
  SubscriberState,
  SubscriberSummary,
} from './api/schemas';
