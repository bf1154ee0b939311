/**
 * Issue 4 scenarios against the embedded server with the official client: a sink slower than the
 * message timeout, resolved links, and a processed event coming back as a replayed parked message.
 * Each checks the sink calls, the acks the server saw, and the duplicate causes in the epochs.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  binaryEvent,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type PersistentSubscriptionToStreamSettings,
  type PersistentSubscriptionToStreamResolvedEvent,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLogger, startEsdbFixture, stopEsdbFixture, type EmbeddedEsdb } from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { epochSchema } from '../api/schemas';
import { createSqliteDedupStore } from '../dedup/sqlite-dedup-store';
import { createEsdbSubscriptionSource } from '../esdb/esdb-subscription-source';
import type { PersistentSubscriptionSource } from '../esdb/persistent-subscription-source';
import { createDeduplicatingSubscriber, type ReceivedInfo } from './deduplicating-subscriber';
import type { Delivery } from './sink';

const logger = createTestLogger();
const NO_DUPLICATES = { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 };

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-causes-int-'));
});

afterAll(() => stopEsdbFixture({ esdb, admin, dir }));

async function createGroup(stream: string, settings: Partial<PersistentSubscriptionToStreamSettings>): Promise<string> {
  const group = `billing-${randomUUID()}`;
  await admin.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
  return group;
}

async function appendOrders(stream: string, count: number): Promise<string[]> {
  const events = Array.from({ length: count }, (_, n) => jsonEvent({ id: randomUUID(), type: 'OrderPlaced', data: { n } }));
  await admin.appendToStream(stream, events);
  return events.map((e) => e.id);
}

/** Nothing in flight, waiting for a retry or unread, and nothing parked. */
async function groupIsQuiet(stream: string, group: string): Promise<boolean> {
  const { stats } = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
  return (
    stats.totalInFlightMessages === 0 &&
    stats.retryBufferCount === 0 &&
    stats.readBufferCount === 0 &&
    stats.parkedMessageCount === 0n
  );
}

/** Real source whose acks are recorded by the id the client sends (`link?.id ?? event.id`). */
function recordingSource(client: EventStoreDBClient, acked: string[]): PersistentSubscriptionSource {
  const real = createEsdbSubscriptionSource(client);
  return {
    subscribe(target, handlers) {
      const sub = real.subscribe(target, handlers);
      return {
        ...sub,
        ack: async (event) => {
          acked.push((event.link ?? event.event)?.id ?? '');
          return sub.ack(event);
        },
      };
    },
  };
}

describe('duplicate causes against the embedded server', () => {
  it('calls a 2.5 s sink once per event under a 1 s message timeout and suppresses every copy as a timeout duplicate', async () => {
    const stream = `orders-${randomUUID()}`;
    const ids = await appendOrders(stream, 3);
    const group = await createGroup(stream, { messageTimeout: 1_000, maxRetryCount: 10 });
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const sinkCalls: Delivery[] = [];
    const received: ReceivedInfo[] = [];
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      store,
      logger,
      // The slow downstream is the scenario: every call outlives the message timeout.
      sink: async (delivery) => {
        sinkCalls.push(delivery);
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        return { outcome: 'ok' };
      },
      onReceived: (info) => received.push(info),
    });
    try {
      subscriber.start();
      await waitFor(() => ids.every((id) => received.some((r) => r.eventId === id && r.outcome === 'delivered')), {
        timeoutMs: 15_000,
        message: 'every event delivered',
      });
      await waitFor(() => groupIsQuiet(stream, group), { timeoutMs: 15_000, message: 'all copies acked' });
      await subscriber.stop();

      expect(sinkCalls.map((d) => d.eventId).sort()).toEqual([...ids].sort());
      const duplicates = received.filter((r) => r.outcome === 'duplicate');
      // Expiry is checked on a 1 s tick (esdb-semantics §2.1): each event times out at least once.
      expect(new Set(duplicates.map((d) => d.eventId))).toEqual(new Set(ids));
      expect(duplicates.every((d) => d.retryCount > 0 && d.cause === 'timeout')).toBe(true);
      const [epoch, ...older] = await subscriber.listEpochs(10);
      expect(older).toEqual([]);
      expect(epoch).toMatchObject({ delivered: 3, duplicatesSuppressed: duplicates.length, parked: 0 });
      expect(epoch?.duplicatesByCause).toEqual({ ...NO_DUPLICATES, timeout: duplicates.length });
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });

  it('keys resolved links by the original event id, acks the link id, and leaves nothing in flight or redelivered', async () => {
    const sources = [`orders-${randomUUID()}`, `orders-${randomUUID()}`];
    const originals = [await appendOrders(sources[0] as string, 3), await appendOrders(sources[1] as string, 3)];
    // A category-like stream of `$>` links "N@stream", interleaving both sources, plus a second
    // link to the first event (§7f: one event reachable through two links).
    const targets = [0, 1, 2].flatMap((n) => sources.map((s) => `${n}@${s}`)).concat(`0@${sources[0]}`);
    const links = targets.map((data) => binaryEvent({ id: randomUUID(), type: '$>', data: Buffer.from(data) }));
    const linkStream = `links-${randomUUID()}`;
    await admin.appendToStream(linkStream, links);
    const group = await createGroup(linkStream, { resolveLinkTos: true, messageTimeout: 1_000, maxRetryCount: 10 });
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const acked: string[] = [];
    const sinkCalls: Delivery[] = [];
    const received: ReceivedInfo[] = [];
    const subscriber = createDeduplicatingSubscriber({
      source: recordingSource(client, acked),
      stream: linkStream,
      group,
      store,
      logger,
      sink: async (delivery) => (sinkCalls.push(delivery), { outcome: 'ok' }),
      onReceived: (info) => received.push(info),
    });
    try {
      subscriber.start();
      await waitFor(() => received.length === links.length, { message: 'every link received' });
      // A wrong ack id would leave messages in flight until they time out and come back.
      await waitFor(() => groupIsQuiet(linkStream, group), { message: 'every link acked' });
      await subscriber.stop();

      const allOriginals = originals.flat();
      expect(sinkCalls.map((d) => d.eventId).sort()).toEqual([...allOriginals].sort());
      expect(sinkCalls.every((d) => d.key === d.eventId && sources.includes(d.stream))).toBe(true);
      expect([...acked].sort()).toEqual(links.map((l) => l.id).sort());
      expect(received.every((r) => r.retryCount === 0)).toBe(true);
      expect(received.filter((r) => r.outcome === 'duplicate')).toEqual([
        expect.objectContaining({ eventId: originals[0]?.[0], cause: 'other' }),
      ]);
      const [epoch] = await subscriber.listEpochs(1);
      expect(epoch).toMatchObject({ received: 7, delivered: 6, duplicatesSuppressed: 1, retried: 0 });
      expect(epoch?.duplicatesByCause).toEqual({ ...NO_DUPLICATES, other: 1 });
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });

  it('records the group checkpoint gap read through GetInfo in the epoch of a new connection', async () => {
    const stream = `orders-${randomUUID()}`;
    await appendOrders(stream, 20);
    // A checkpoint at least every 5 acks: at most 4 acked events lie after it (esdb-semantics §2.5).
    const group = await createGroup(stream, { checkPointLowerBound: 1, checkPointUpperBound: 5 });
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      store,
      logger,
      sink: async () => ({ outcome: 'ok' }),
    });
    try {
      subscriber.start();
      await waitFor(() => subscriber.getSummary().delivered === 20, { message: 'all delivered' });
      await waitFor(() => groupIsQuiet(stream, group), { message: 'all acked' });
      subscriber.reconnect('read the gap');
      await waitFor(async () => (await subscriber.listEpochs(1))[0]?.epoch === 2, { message: 'second epoch' });
      const gap = await waitFor(async () => {
        const [epoch] = await subscriber.listEpochs(1);
        return typeof epoch?.checkpointGap === 'number' ? { value: epoch.checkpointGap } : undefined;
      }, { message: 'gap recorded' });
      expect(gap.value).toBeGreaterThanOrEqual(0);
      expect(gap.value).toBeLessThan(5);
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });

  it('suppresses a processed event that comes back as a replayed parked message, tagged replay', async () => {
    // Construction: the subscriber processes the event and stops. A subsystem restart reloads the
    // group from its checkpoint (none is written for one event), so the event is delivered again
    // with retryCount 0 — to a second, plain consumer that parks it, as a consumer that does not
    // dedup would for a delivery it cannot handle. A new subscriber on the same store then gets
    // the replayed parked message: same original event, the parked record as link, retryCount 0.
    const stream = `orders-${randomUUID()}`;
    const [id] = await appendOrders(stream, 1);
    const group = await createGroup(stream, { maxRetryCount: 10 });
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const storePath = path.join(dir, `${randomUUID()}.db`);
    const sinkCalls: Delivery[] = [];
    const sink = async (delivery: Delivery) => (sinkCalls.push(delivery), { outcome: 'ok' as const });

    const firstStore = createSqliteDedupStore({ path: storePath });
    const first = createDeduplicatingSubscriber({ client, stream, group, store: firstStore, logger, sink });
    first.start();
    await waitFor(() => groupIsQuiet(stream, group).then((quiet) => quiet && sinkCalls.length === 1), {
      message: 'processed and acked',
    });
    await first.stop();
    await firstStore.close();

    await admin.restartPersistentSubscriptionSubsystem();
    const plain = admin.subscribeToPersistentSubscriptionToStream(stream, group);
    const parkedOnce = new Promise<void>((resolve, reject) => {
      plain.on('data', (event: PersistentSubscriptionToStreamResolvedEvent) => {
        plain.nack('park', 'cannot handle it here', event).then(resolve, reject);
      });
      plain.on('error', reject);
    });
    await parkedOnce;
    await plain.unsubscribe();
    await waitFor(async () => (await admin.getPersistentSubscriptionToStreamInfo(stream, group)).stats.parkedMessageCount === 1n, {
      message: 'the reloaded copy parked',
    });

    const store = createSqliteDedupStore({ path: storePath });
    const received: ReceivedInfo[] = [];
    const second = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      store,
      logger,
      sink,
      onReceived: (info) => received.push(info),
    });
    try {
      second.start();
      await waitFor(() => second.getSummary().state === 'live', { message: 'second subscriber live' });
      await admin.replayParkedMessagesToStream(stream, group);
      await waitFor(() => received.length === 1, { message: 'the replayed message' });
      await waitFor(() => groupIsQuiet(stream, group), { message: 'replay acked' });
      await second.stop();

      expect(sinkCalls.map((d) => d.eventId)).toEqual([id]);
      expect(received).toEqual([expect.objectContaining({ eventId: id, retryCount: 0, outcome: 'duplicate', cause: 'replay' })]);
      const [epoch] = await second.listEpochs(1);
      epochSchema.parse(epoch);
      expect(epoch).toMatchObject({ received: 1, delivered: 0, duplicatesSuppressed: 1 });
      expect(epoch?.duplicatesByCause).toEqual({ ...NO_DUPLICATES, replay: 1 });
    } finally {
      await second.stop();
      await client.dispose();
      await store.close();
    }
  });
});
