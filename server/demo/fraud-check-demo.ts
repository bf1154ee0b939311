/**
 * Starts the fraud-check demo group (`demo-orders` / `demo-fraud-check`): creates the group if
 * missing and runs a deduplicating subscriber over the direct client (no fault proxy: this group
 * shows parking, the billing group shows reconnects).
 */
import {
  START,
  persistentSubscriptionToStreamSettingsFromDefaults,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { Epoch, LiveEvent } from '../../lib/api/schemas';
import type { DedupStore } from '../../lib/dedup/dedup-store';
import {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
  type DeduplicatingSubscriberOptions,
} from '../../lib/subscriber/deduplicating-subscriber';
import { createFraudCheck, FRAUD_CHECK_GROUP } from './fraud-check';

export async function startFraudCheckDemo(options: {
  client: EventStoreDBClient;
  stream: string;
  store: DedupStore;
  logger: Logger;
  emit: (event: LiveEvent) => void;
  /** Lets the runtime wrap the subscriber options (metrics hooks). */
  instrument?: (options: DeduplicatingSubscriberOptions) => DeduplicatingSubscriberOptions;
}): Promise<{ ref: { stream: string; group: string }; subscriber: DeduplicatingSubscriber; stop: () => Promise<void> }> {
  const { client, stream, store, emit } = options;
  const group = FRAUD_CHECK_GROUP;
  const log = options.logger.child({ component: 'demo', stream, group });
  try {
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    log.info('created fraud-check demo persistent subscription');
  } catch (error) {
    if ((error as { type?: string }).type !== 'persistent-subscription-exists') throw error;
  }
  const ref = { stream, group };
  const fraudCheck = createFraudCheck();
  const subscriberOptions: DeduplicatingSubscriberOptions = {
    client,
    stream,
    group,
    bufferSize: 10,
    store,
    logger: options.logger.child({ component: 'subscriber', stream, group }),
    sink: fraudCheck.sink,
    onEpoch: (epoch: Epoch) => emit({ event: 'epoch', data: { ...ref, epoch } }),
  };
  const subscriber = createDeduplicatingSubscriber(options.instrument ? options.instrument(subscriberOptions) : subscriberOptions);
  subscriber.start();
  return { ref, subscriber, stop: () => subscriber.stop() };
}
