import { randomUUID } from 'node:crypto';
import {
  END,
  type EventStoreDBClient,
  jsonEvent,
  PersistentSubscriptionDoesNotExistError,
  PersistentSubscriptionDroppedError,
  PersistentSubscriptionExistsError,
  PersistentSubscriptionFailedError,
  PersistentSubscriptionMaximumSubscribersReachedError,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  WrongExpectedVersionError,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EsdbServer } from './create-esdb-server';
import { startServerWithClient, stopServerWithClient } from './testing/server-with-client';
import { collectDeliveries } from './testing/collect-deliveries';
import { waitUntil } from './testing/wait-until';

let server: EsdbServer;
let client: EventStoreDBClient;

beforeAll(async () => {
  ({ server, client } = await startServerWithClient());
});

afterAll(() => stopServerWithClient({ server, client }));

const newStream = () => `s-${randomUUID()}`;
const newGroup = () => `g-${randomUUID()}`;

async function appendEvents(stream: string, count: number) {
  await client.appendToStream(
    stream,
    Array.from({ length: count }, (_, n) => jsonEvent({ type: 'test-event', data: { n } })),
  );
}

async function create(stream: string, group: string, settings: Partial<PersistentSubscriptionToStreamSettings> = {}) {
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
}

async function checkpointsOf(stream: string, group: string) {
  const events = [];
  for await (const resolved of client.readStream(`$persistentsubscription-${stream}::${group}-checkpoint`)) {
    events.push(resolved.event!);
  }
  return events;
}

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('persistent subscription administration (official client against the embedded server)', () => {
  test('GetInfo returns exactly the settings the group was created with', async () => {
    const stream = newStream();
    const group = newGroup();
    const settings = persistentSubscriptionToStreamSettingsFromDefaults({
      startFrom: 7n,
      resolveLinkTos: true,
      extraStatistics: true,
      messageTimeout: 12_345,
      maxRetryCount: 3,
      checkPointAfter: 4_000,
      checkPointLowerBound: 5,
      checkPointUpperBound: 50,
      maxSubscriberCount: 4,
      liveBufferSize: 300,
      readBatchSize: 15,
      historyBufferSize: 200,
      consumerStrategyName: 'DispatchToSingle',
    });
    await client.createPersistentSubscriptionToStream(stream, group, settings);

    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);

    expect(info.settings).toEqual(settings);
    expect(info.eventSource).toBe(stream);
    expect(info.groupName).toBe(group);
    expect(info.status).toBe('Live');
    expect(info.stats.lastKnownEventRevision).toBeUndefined();
    expect(info.stats.lastCheckpointedEventRevision).toBeUndefined();
  });

  test('start from END round-trips and reports the unbounded subscriber count', async () => {
    const stream = newStream();
    const group = newGroup();
    const settings = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: END });
    await client.createPersistentSubscriptionToStream(stream, group, settings);

    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);

    expect(info.settings).toEqual(settings);
    expect(info.settings.maxSubscriberCount).toBe('unbounded');
  });

  test('GetInfo reports the connection name and the anonymous user', async () => {
    const stream = newStream();
    const group = newGroup();
    await create(stream, group);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group, { bufferSize: 7 });
    const { confirmed } = collectDeliveries(subscription);
    await waitUntil('confirmation', () => confirmed());

    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);

    expect(info.connections).toHaveLength(1);
    expect(info.connections[0]).toMatchObject({
      from: '',
      username: 'anonymous',
      connectionName: client.connectionName,
      availableSlots: 7,
      inFlightMessages: 0,
    });
    await subscription.unsubscribe();
  });

  test('a missing group is reported as PersistentSubscriptionDoesNotExistError with the server message', async () => {
    const stream = newStream();
    const group = newGroup();

    const error = await errorOf(client.getPersistentSubscriptionToStreamInfo(stream, group));

    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(error.message).toBe(`5 NOT_FOUND: Subscription group ${group} on stream ${stream} does not exist.`);
  });

  test('a missing group on a non-ASCII stream name is still PersistentSubscriptionDoesNotExistError', async () => {
    const stream = `заказы-ü-${newStream()}`;
    const group = `grüppe-${newGroup()}`;

    const error = await errorOf(client.getPersistentSubscriptionToStreamInfo(stream, group));

    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(error.message).toBe(`5 NOT_FOUND: Subscription group ${group} on stream ${stream} does not exist.`);
  });

  test('subscribing to a missing group fails with PersistentSubscriptionDoesNotExistError', async () => {
    const stream = newStream();
    const group = newGroup();
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { errors } = collectDeliveries(subscription);

    const error = await waitUntil('the error', () => errors[0] as Error | undefined);

    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(error.message).toBe(`5 NOT_FOUND: Subscription group ${group} on stream ${stream} does not exist.`);
  });

  test('creating an existing group fails with PersistentSubscriptionExistsError', async () => {
    const stream = newStream();
    const group = newGroup();
    await create(stream, group);

    const error = await errorOf(create(stream, group));

    expect(error).toBeInstanceOf(PersistentSubscriptionExistsError);
    expect(error.message).toBe(`6 ALREADY_EXISTS: Subscription group ${group} on stream ${stream} exists.`);
  });

  test('readBatchSize not below historyBufferSize fails with PersistentSubscriptionFailedError', async () => {
    const stream = newStream();
    const group = newGroup();

    const error = await errorOf(create(stream, group, { readBatchSize: 50, historyBufferSize: 50 }));

    expect(error).toBeInstanceOf(PersistentSubscriptionFailedError);
    expect(error.message).toBe(
      `13 INTERNAL: Subscription group ${group} on stream ${stream} failed: 'ReadBatchSize may not be greater than or equal to BufferSize'`,
    );
  });

  test('an append with the wrong expected revision fails with WrongExpectedVersionError', async () => {
    const stream = newStream();
    await appendEvents(stream, 2);

    const error = await errorOf(client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 'no_stream' }));

    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamName: stream, expectedVersion: 'no_stream', actualVersion: 1n });
  });

  test('a checkpoint is written once checkPointUpperBound messages are acked', async () => {
    const stream = newStream();
    const group = newGroup();
    await appendEvents(stream, 5);
    await create(stream, group, { checkPointUpperBound: 3, checkPointLowerBound: 1, checkPointAfter: 0 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('five deliveries', () => received.length === 5);

    await subscription.ack(...received.slice(0, 3));
    const checkpoints = await waitUntil('a checkpoint', async () => {
      const events = await checkpointsOf(stream, group).catch(() => []);
      return events.length > 0 && events;
    });

    expect(checkpoints.map((e) => ({ type: e.type, data: e.data }))).toEqual([{ type: '$SubscriptionCheckpoint', data: '2' }]);
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.stats.lastCheckpointedEventRevision).toBe(2n);
    await subscription.unsubscribe();
  });

  test('a checkpoint is written on the timer once checkPointAfter has passed and checkPointLowerBound are acked', async () => {
    const stream = newStream();
    const group = newGroup();
    await appendEvents(stream, 2);
    await create(stream, group, { checkPointAfter: 1000, checkPointLowerBound: 2, checkPointUpperBound: 1000 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('two deliveries', () => received.length === 2);

    await subscription.ack(...received);
    const checkpoints = await waitUntil('a timed checkpoint', async () => {
      const events = await checkpointsOf(stream, group).catch(() => []);
      return events.length > 0 && events;
    }, 5_000);

    expect(checkpoints.map((e) => e.data)).toEqual(['1']);
    await subscription.unsubscribe();
  });

  test('RestartSubsystem drops subscribers and redelivers everything after the checkpoint with retryCount 0', async () => {
    const stream = newStream();
    const group = newGroup();
    await appendEvents(stream, 4);
    await create(stream, group, { checkPointUpperBound: 2, checkPointLowerBound: 1, checkPointAfter: 0 });
    const first = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const before = collectDeliveries(first);
    await waitUntil('four deliveries', () => before.received.length === 4);
    await first.ack(before.received[0]!, before.received[1]!);
    await first.nack('retry', 'again', before.received[3]!);
    await waitUntil('the retry', () => before.received.length === 5);
    await waitUntil('the checkpoint at revision 1', async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.lastCheckpointedEventRevision === 1n;
    });

    await client.restartPersistentSubscriptionSubsystem();
    const dropped = await waitUntil('the drop', () => before.errors[0] as Error | undefined);
    expect(dropped).toBeInstanceOf(PersistentSubscriptionDroppedError);
    expect(dropped.message).toBe(`1 CANCELLED: Subscription group ${group} on stream ${stream} was dropped.`);

    const second = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const after = collectDeliveries(second);
    await waitUntil('the redeliveries', () => after.received.length === 2);
    expect(after.received.map((e) => [e.event?.revision, e.retryCount])).toEqual([
      [2n, 0],
      [3n, 0],
    ]);
    await second.unsubscribe();
  });

  test('Update drops subscribers and the group resumes from its checkpoint with the new settings', async () => {
    const stream = newStream();
    const group = newGroup();
    await appendEvents(stream, 3);
    await create(stream, group, { checkPointUpperBound: 1, checkPointLowerBound: 1, checkPointAfter: 0 });
    const first = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const before = collectDeliveries(first);
    await waitUntil('three deliveries', () => before.received.length === 3);
    await first.ack(before.received[0]!);
    await waitUntil('the checkpoint at revision 0', async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.lastCheckpointedEventRevision === 0n;
    });

    const updated = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 2, checkPointUpperBound: 1, checkPointLowerBound: 1, checkPointAfter: 0 });
    await client.updatePersistentSubscriptionToStream(stream, group, updated);
    const dropped = await waitUntil('the drop', () => before.errors[0] as Error | undefined);
    expect(dropped).toBeInstanceOf(PersistentSubscriptionDroppedError);

    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.settings).toEqual(updated);
    const second = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const after = collectDeliveries(second);
    await waitUntil('the redeliveries', () => after.received.length === 2);
    expect(after.received.map((e) => e.event?.revision)).toEqual([1n, 2n]);
    await second.unsubscribe();
  });

  test('Delete drops subscribers and the group no longer exists', async () => {
    const stream = newStream();
    const group = newGroup();
    await create(stream, group);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { errors, confirmed } = collectDeliveries(subscription);
    await waitUntil('confirmation', () => confirmed());

    await client.deletePersistentSubscriptionToStream(stream, group);

    const dropped = await waitUntil('the drop', () => errors[0] as Error | undefined);
    expect(dropped).toBeInstanceOf(PersistentSubscriptionDroppedError);
    const error = await errorOf(client.getPersistentSubscriptionToStreamInfo(stream, group));
    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
  });

  test('List all includes every group and List for a stream returns only that stream’s groups', async () => {
    const streamA = newStream();
    const streamB = newStream();
    const [a1, a2, b1] = [newGroup(), newGroup(), newGroup()];
    await create(streamA, a1);
    await create(streamA, a2);
    await create(streamB, b1);

    const all = await client.listAllPersistentSubscriptions();
    const forA = await client.listPersistentSubscriptionsToStream(streamA);

    const ours = all.filter((info) => info.eventSource === streamA || info.eventSource === streamB);
    expect(ours.map((info) => `${info.eventSource}/${info.groupName}`).sort()).toEqual(
      [`${streamA}/${a1}`, `${streamA}/${a2}`, `${streamB}/${b1}`].sort(),
    );
    expect(forA.map((info) => info.groupName).sort()).toEqual([a1, a2].sort());
  });

  test('List for a stream that never had a group fails with an empty group name in the message', async () => {
    const stream = newStream();

    const error = await errorOf(client.listPersistentSubscriptionsToStream(stream));

    expect(error).toBeInstanceOf(PersistentSubscriptionDoesNotExistError);
    expect(error.message).toBe(`5 NOT_FOUND: Subscription group  on stream ${stream} does not exist.`);
  });

  test('List for a stream whose groups were all deleted returns an empty list', async () => {
    const stream = newStream();
    const group = newGroup();
    await create(stream, group);
    await client.deletePersistentSubscriptionToStream(stream, group);

    expect(await client.listPersistentSubscriptionsToStream(stream)).toEqual([]);
  });

  test('a subscriber beyond maxSubscriberCount fails with PersistentSubscriptionMaximumSubscribersReachedError', async () => {
    const stream = newStream();
    const group = newGroup();
    await create(stream, group, { maxSubscriberCount: 1 });
    const first = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { confirmed } = collectDeliveries(first);
    await waitUntil('the first confirmation', () => confirmed());

    const second = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { errors } = collectDeliveries(second);
    const error = await waitUntil('the error', () => errors[0] as Error | undefined);

    expect(error).toBeInstanceOf(PersistentSubscriptionMaximumSubscribersReachedError);
    await first.unsubscribe();
  });

  test('with extraStatistics GetInfo reports latency measurements under lower-cased keys after an ack', async () => {
    const stream = newStream();
    const group = newGroup();
    await appendEvents(stream, 1);
    await create(stream, group, { extraStatistics: true });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('the delivery', () => received.length === 1);

    await subscription.ack(received[0]!);
    const info = await waitUntil('the ack', async () => {
      const current = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return current.stats.outstandingMessagesCount === 0 && current;
    });

    expect(typeof info.connections[0]?.extraStatistics?.get('quintile 3')).toBe('bigint');
    await subscription.unsubscribe();
  });
});
