import { randomUUID } from 'node:crypto';
import {
  type EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
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

/** A fresh stream with `count` JSON events `{ n }` and a group on it created with `settings`. */
async function setUp(count: number, settings: Partial<PersistentSubscriptionToStreamSettings> = {}) {
  const stream = `s-${randomUUID()}`;
  const group = `g-${randomUUID()}`;
  if (count > 0) {
    await client.appendToStream(
      stream,
      Array.from({ length: count }, (_, n) => jsonEvent({ type: 'test-event', data: { n } })),
    );
  }
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
  return { stream, group };
}

function parkedStreamOf(stream: string, group: string): string {
  return `$persistentsubscription-${stream}::${group}-parked`;
}

async function readAllOf(stream: string) {
  const events = [];
  for await (const resolved of client.readStream(stream)) events.push(resolved);
  return events;
}

describe('persistent subscription delivery (official client against the embedded server)', () => {
  test('with bufferSize N, N messages are in flight and the N+1th is delivered only after an ack', async () => {
    const { stream, group } = await setUp(3);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group, { bufferSize: 2 });
    const { received } = collectDeliveries(subscription);

    await waitUntil('two deliveries', () => received.length === 2);
    const info = await waitUntil('the server to hold the third message back', async () => {
      const current = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return current.connections[0]?.inFlightMessages === 2 && current.stats.readBufferCount === 1 && current;
    });
    expect(info.connections[0]?.availableSlots).toBe(0);
    expect(received).toHaveLength(2);

    await subscription.ack(received[0]!);
    await waitUntil('the third delivery', () => received.length === 3);
    expect(received.map((e) => e.event?.revision)).toEqual([0n, 1n, 2n]);
    await subscription.unsubscribe();
  });

  test('a nack with retry redelivers the message with retryCount + 1', async () => {
    const { stream, group } = await setUp(1);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('first delivery', () => received.length === 1);
    await subscription.nack('retry', 'try again', received[0]!);
    await waitUntil('redelivery', () => received.length === 2);

    expect(received[1]!.event?.id).toBe(received[0]!.event?.id);
    expect(received.map((e) => e.retryCount)).toEqual([0, 1]);
    await subscription.unsubscribe();
  });

  test('an unacked message is redelivered with retryCount + 1 after the message timeout', async () => {
    const { stream, group } = await setUp(1, { messageTimeout: 1000 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('redelivery after the timeout', () => received.length === 2, 5_000);

    expect(received[1]!.event?.id).toBe(received[0]!.event?.id);
    expect(received[1]!.retryCount).toBe(1);
    await subscription.unsubscribe();
  });

  test('after maxRetryCount retries the message is parked as a $> link with the documented metadata', async () => {
    const { stream, group } = await setUp(2, { maxRetryCount: 1 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('both events', () => received.length === 2);
    await subscription.ack(received[0]!);
    await subscription.nack('retry', 'first', received[1]!);
    await waitUntil('the retry', () => received.length === 3);
    expect(received[2]!.retryCount).toBe(1);
    await subscription.nack('retry', 'second', received[2]!);

    const parked = await waitUntil('a parked record', async () => {
      const events = await readAllOf(parkedStreamOf(stream, group)).catch(() => []);
      return events.length === 1 && events;
    });
    const record = parked[0]!.event!;
    expect(record.type).toBe('$>');
    expect(record.isJson).toBe(false);
    expect(Buffer.from(record.data as Uint8Array).toString('utf8')).toBe(`1@${stream}`);
    expect(record.metadata).toEqual({
      added: expect.any(String),
      reason: 'Reached retry count of 1',
      subscriptionEventNumber: 1,
    });
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.stats.parkedMessageCount).toBe(1n);
    expect(received).toHaveLength(3);
    await subscription.unsubscribe();
  });

  test('a nack with park parks at once with the client reason and omits subscriptionEventNumber 0', async () => {
    const { stream, group } = await setUp(1);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('delivery', () => received.length === 1);
    await subscription.nack('park', 'poison', received[0]!);

    const parked = await waitUntil('a parked record', async () => {
      const events = await readAllOf(parkedStreamOf(stream, group)).catch(() => []);
      return events.length === 1 && events;
    });
    expect(parked[0]!.event!.metadata).toEqual({ added: expect.any(String), reason: "Client explicitly NAK'ed message.\npoison" });
    await subscription.unsubscribe();
  });

  test('reading the parked stream with resolveLinkTos returns the original event behind each parked link', async () => {
    const { stream, group } = await setUp(1);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('delivery', () => received.length === 1);
    await subscription.nack('park', 'poison', received[0]!);
    await waitUntil('a parked record', async () => (await readAllOf(parkedStreamOf(stream, group)).catch(() => [])).length === 1);

    const resolved = [];
    for await (const event of client.readStream(parkedStreamOf(stream, group), { resolveLinkTos: true })) resolved.push(event);

    expect(resolved[0]!.event?.id).toBe(received[0]!.event?.id);
    expect(resolved[0]!.event?.data).toEqual({ n: 0 });
    expect(resolved[0]!.link?.type).toBe('$>');
    await subscription.unsubscribe();
  });

  test('replay with stopAt 4 redelivers exactly 4 parked messages with retryCount 0 and the parked record as link', async () => {
    const { stream, group } = await setUp(5);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('five deliveries', () => received.length === 5);
    await subscription.nack('park', 'park all', ...received);
    await waitUntil('five parked', async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.parkedMessageCount === 5n;
    });
    const parked = await readAllOf(parkedStreamOf(stream, group));

    await client.replayParkedMessagesToStream(stream, group, { stopAt: 4 });
    await waitUntil('four replayed', () => received.length === 9);
    const replayed = received.slice(5);
    await subscription.ack(...replayed);
    const info = await waitUntil('replay finished and acked', async () => {
      const current = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return current.stats.parkedMessageCount === 1n && current.stats.outstandingMessagesCount === 0 && current;
    });

    expect(info.stats.retryBufferCount).toBe(0);
    expect(received).toHaveLength(9);
    expect(replayed.map((e) => e.retryCount)).toEqual([0, 0, 0, 0]);
    expect(replayed.map((e) => e.event?.id)).toEqual(received.slice(0, 4).map((e) => e.event?.id));
    expect(replayed.map((e) => e.link?.id)).toEqual(parked.slice(0, 4).map((p) => p.event?.id));
    expect(replayed.map((e) => e.link?.streamId)).toEqual(Array(4).fill(parkedStreamOf(stream, group)));
    await subscription.unsubscribe();
  });

  test('unacked messages of a disconnected subscriber go to the next one with retryCount + 1', async () => {
    const { stream, group } = await setUp(2);
    const first = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const firstDeliveries = collectDeliveries(first);
    await waitUntil('both events at the first subscriber', () => firstDeliveries.received.length === 2);
    await first.ack(firstDeliveries.received[0]!);
    await waitUntil('the ack to be processed', async () => {
      const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.outstandingMessagesCount === 1;
    });
    await first.unsubscribe();

    const second = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(second);
    await waitUntil('the redelivery', () => received.length === 1);

    expect(received[0]!.event?.revision).toBe(1n);
    expect(received[0]!.retryCount).toBe(1);
    await second.unsubscribe();
  });

  test('skipped and stopped messages are not redelivered', async () => {
    const { stream, group } = await setUp(2, { messageTimeout: 1000 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('two deliveries', () => received.length === 2);

    await subscription.nack('skip', 'not for me', received[0]!);
    await subscription.nack('stop', 'stop', received[1]!);
    const info = await waitUntil('nothing outstanding', async () => {
      const current = await client.getPersistentSubscriptionToStreamInfo(stream, group);
      return current.stats.outstandingMessagesCount === 0 && current;
    });
    expect(info.stats.retryBufferCount).toBe(0);

    await client.appendToStream(stream, jsonEvent({ type: 'marker', data: {} }));
    await waitUntil('the marker', () => received.length === 3);
    expect(received.map((e) => e.event?.type)).toEqual(['test-event', 'test-event', 'marker']);
    await subscription.unsubscribe();
  });

  test('a live event is delivered with the position the append returned', async () => {
    const { stream, group } = await setUp(0);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received, confirmed } = collectDeliveries(subscription);
    await waitUntil('confirmation', () => confirmed());

    const result = await client.appendToStream(stream, jsonEvent({ type: 'live', data: { live: true } }));
    await waitUntil('the live event', () => received.length === 1);

    expect(received[0]!.event?.data).toEqual({ live: true });
    expect(received[0]!.event?.position).toEqual(result.position);
    expect(received[0]!.commitPosition).toBe(result.position?.commit);
    await subscription.unsubscribe();
  });
});
