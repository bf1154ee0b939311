/**
 * Reductions of problems reported against real servers (issue 3): the embedded server must behave
 * like the fixed server. Expected values follow esdb-semantics.md §2–§3.
 */
import { randomUUID } from 'node:crypto';
import {
  binaryEvent,
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

const testEvents = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => jsonEvent({ type: 'test-event', data: { n: from + i } }));

async function createGroup(stream: string, settings: Partial<PersistentSubscriptionToStreamSettings> = {}): Promise<string> {
  const group = `g-${randomUUID()}`;
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
  return group;
}

async function checkpointsOf(stream: string, group: string): Promise<string[]> {
  const values: string[] = [];
  try {
    for await (const resolved of client.readStream(`$persistentsubscription-${stream}::${group}-checkpoint`)) {
      values.push(resolved.event!.data as unknown as string);
    }
  } catch (error) {
    if ((error as { type?: string }).type !== 'stream-not-found') throw error;
  }
  return values;
}

const infoOf = (stream: string, group: string) => client.getPersistentSubscriptionToStreamInfo(stream, group);

describe('persistent subscription regressions (official client against the embedded server)', () => {
  test('250 history events plus 250 written while subscribed give exactly 500 first deliveries and no extras at the switch to live', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, testEvents(0, 250));
    const group = await createGroup(stream, { resolveLinkTos: true });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    subscription.on('data', (event) => void subscription.ack(event));

    await waitUntil('the first history deliveries', () => received.length > 0);
    for (let batch = 0; batch < 5; batch++) await client.appendToStream(stream, testEvents(250 + batch * 50, 50));
    await waitUntil('500 deliveries', () => received.length >= 500);
    await waitUntil('every ack processed', async () => (await infoOf(stream, group)).stats.outstandingMessagesCount === 0);
    await client.appendToStream(stream, jsonEvent({ type: 'marker', data: {} }));
    await waitUntil('the marker', () => received.some((e) => e.event?.type === 'marker'));

    const events = received.filter((e) => e.event?.type === 'test-event');
    expect(events).toHaveLength(500);
    expect(events.every((e) => e.retryCount === 0)).toBe(true);
    expect(events.map((e) => (e.event!.data as { n: number }).n)).toEqual(Array.from({ length: 500 }, (_, n) => n));
    expect(received).toHaveLength(501);
    await subscription.unsubscribe();
  });

  test('a parked message replayed while a checkpoint is due never moves the checkpoint backwards or past the last known event', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, testEvents(0, 10));
    // An upper bound of 1 makes a checkpoint due on every ack and nack (§2.5).
    const group = await createGroup(stream, { checkPointLowerBound: 1, checkPointUpperBound: 1 });
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('ten deliveries', () => received.length === 10);

    await subscription.nack('park', 'poison', received[0]!);
    await waitUntil('one parked', async () => (await infoOf(stream, group)).stats.parkedMessageCount === 1n);
    await client.replayParkedMessagesToStream(stream, group);
    await waitUntil('the replayed message', () => received.length === 11);
    await subscription.ack(received[10]!);
    await subscription.ack(...received.slice(1, 5));
    await subscription.ack(...received.slice(5, 10));

    const info = await waitUntil('everything acked', async () => {
      const current = await infoOf(stream, group);
      return current.stats.outstandingMessagesCount === 0 && current;
    });
    const written = (await checkpointsOf(stream, group)).map(Number);
    expect(info.stats.lastCheckpointedEventRevision).toBe(9n);
    expect(written[written.length - 1]).toBe(9);
    expect(written.every((value, i) => value <= 9 && (i === 0 || value >= written[i - 1]!))).toBe(true);
    await subscription.unsubscribe();
  });

  test('ReplayParked on an empty parked stream does not break a later replay of a parked event', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, testEvents(0, 1));
    const group = await createGroup(stream);
    await client.replayParkedMessagesToStream(stream, group);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('the delivery', () => received.length === 1);

    await subscription.nack('park', 'poison', received[0]!);
    await waitUntil('one parked', async () => (await infoOf(stream, group)).stats.parkedMessageCount === 1n);
    await client.replayParkedMessagesToStream(stream, group);
    await waitUntil('the redelivery', () => received.length === 2);

    expect(received[1]!.event?.id).toBe(received[0]!.event?.id);
    expect(received[1]!.retryCount).toBe(0);
    await subscription.unsubscribe();
  });

  test('on a stream of links with resolveLinkTos and buffer 10, acking each delivery by its link id lets all 12 events flow without redelivery', async () => {
    const target = `s-${randomUUID()}`;
    const links = `links-${randomUUID()}`;
    await client.appendToStream(target, testEvents(0, 12));
    await client.appendToStream(
      links,
      Array.from({ length: 12 }, (_, n) => binaryEvent({ type: '$>', data: Buffer.from(`${n}@${target}`) })),
    );
    const group = await createGroup(links, { resolveLinkTos: true });
    const subscription = client.subscribeToPersistentSubscriptionToStream(links, group, { bufferSize: 10 });
    const { received } = collectDeliveries(subscription);
    subscription.on('data', (event) => void subscription.ack(event));

    await waitUntil('12 deliveries', () => received.length === 12);
    const info = await waitUntil('every ack processed', async () => {
      const current = await infoOf(links, group);
      return current.stats.outstandingMessagesCount === 0 && current;
    });

    expect(info.stats.retryBufferCount).toBe(0);
    expect(received.map((e) => e.retryCount)).toEqual(Array(12).fill(0));
    expect(received.map((e) => (e.event!.data as { n: number }).n)).toEqual(Array.from({ length: 12 }, (_, n) => n));
    expect(received.map((e) => e.link?.streamId)).toEqual(Array(12).fill(links));
    await subscription.unsubscribe();
  });

  test('a nack with retry on every first delivery with buffer 10 never stalls: each of 25 events arrives twice', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, testEvents(0, 25));
    const group = await createGroup(stream);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group, { bufferSize: 10 });
    const { received } = collectDeliveries(subscription);
    subscription.on('data', (event) => {
      if (event.retryCount === 0) void subscription.nack('retry', 'again', event);
      else void subscription.ack(event);
    });

    await waitUntil('50 deliveries', () => received.length === 50);
    await waitUntil('every ack processed', async () => (await infoOf(stream, group)).stats.outstandingMessagesCount === 0);

    const countsById = new Map<string, number[]>();
    for (const event of received) countsById.set(event.event!.id, [...(countsById.get(event.event!.id) ?? []), event.retryCount]);
    expect(countsById.size).toBe(25);
    expect([...countsById.values()].every((counts) => counts.join() === '0,1')).toBe(true);
    await subscription.unsubscribe();
  });

  test('one consumer with buffer 10 that nacks event 3 of 0–9 with retry sees 0,1,2,4,…,9 and then 3 again', async () => {
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, testEvents(0, 10));
    const group = await createGroup(stream);
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group, { bufferSize: 10 });
    const { received } = collectDeliveries(subscription);
    const handled: number[] = [];
    subscription.on('data', (event) => {
      const n = (event.event!.data as { n: number }).n;
      if (n === 3 && event.retryCount === 0) {
        void subscription.nack('retry', 'later', event);
        return;
      }
      handled.push(n);
      void subscription.ack(event);
    });

    await waitUntil('ten handled', () => handled.length === 10);

    expect(handled).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 3]);
    expect(received.map((e) => `${(e.event!.data as { n: number }).n}/${e.retryCount}`)).toEqual([
      '0/0', '1/0', '2/0', '3/0', '4/0', '5/0', '6/0', '7/0', '8/0', '9/0', '3/1',
    ]);
    await subscription.unsubscribe();
  });
});
