/**
 * The held-deliveries listing against the embedded server: a delivery whose sink keeps failing is
 * listed while the server redelivers it with a growing retry count, and is gone once parked.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type EventStoreDBClient, jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, START } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLogger, startEsdbFixture, stopEsdbFixture, type EmbeddedEsdb } from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { heldResponseSchema, type HeldDelivery } from '../api/schemas';
import { createSqliteDedupStore } from '../dedup/sqlite-dedup-store';
import { createDeduplicatingSubscriber } from './deduplicating-subscriber';
import type { Delivery, Sink } from './sink';

const logger = createTestLogger();
let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-held-int-'));
});

afterAll(() => stopEsdbFixture({ esdb, admin, dir }));

describe('held deliveries of a subscriber whose sink keeps failing', () => {
  it('lists the delivery with its retry count growing and the sink’s reason, and no longer once it is parked', async () => {
    const stream = `orders-${randomUUID()}`;
    const group = `billing-${randomUUID()}`;
    const id = randomUUID();
    await admin.appendToStream(stream, jsonEvent({ id, type: 'OrderPlaced', data: { orderId: 'o-1' } }));
    await admin.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 1000 }),
    );
    const calls: Delivery[] = [];
    const sink: Sink = async (delivery) => {
      calls.push(delivery);
      return { outcome: 'retry', reason: 'HTTP 503 Service Unavailable: downstream down' };
    };
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const subscriber = createDeduplicatingSubscriber({
      client: admin,
      stream,
      group,
      bufferSize: 1,
      store,
      sink,
      logger,
      retryBackoff: { initialMs: 20, maxMs: 50 },
    });
    try {
      subscriber.start();
      const seen: HeldDelivery[] = [];
      await waitFor(
        () => {
          const listing = heldResponseSchema.parse(subscriber.listHeld());
          seen.push(...listing.held);
          return listing.held.some((h) => h.retryCount >= 3);
        },
        { timeoutMs: 20_000, message: () => `a held copy with retryCount ≥ 3 (seen ${JSON.stringify(seen.at(-1))})` },
      );
      expect(new Set(seen.map((h) => h.eventId))).toEqual(new Set([id]));
      const counts = seen.map((h) => h.retryCount);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(counts.at(-1)).toBeGreaterThan(counts[0]!);
      // Every copy reads as the same stuck message: held since the first one arrived.
      expect(new Set(seen.map((h) => h.since)).size).toBe(1);
      expect(seen.at(-1)).toMatchObject({
        eventId: id,
        key: id,
        stream,
        revision: '0',
        type: 'OrderPlaced',
        epoch: 1,
        lastOutcome: 'sink asked to retry: HTTP 503 Service Unavailable: downstream down',
      });

      // Between a nack and the redelivery nothing is held: park refuses then, so ask until it takes.
      await waitFor(() => subscriber.park(id, 'downstream down for the night'), { timeoutMs: 10_000, message: 'the park to take' });
      await waitFor(
        async () => (await admin.getPersistentSubscriptionToStreamInfo(stream, group)).stats.parkedMessageCount === 1n,
        { timeoutMs: 10_000, message: 'one parked message' },
      );
      await waitFor(() => subscriber.listHeld().total === 0, { message: 'nothing held' });
      expect(subscriber.listHeld()).toEqual({ held: [], total: 0 });
      const info = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
      expect(info.stats.totalInFlightMessages).toBe(0);
      expect(info.stats.retryBufferCount).toBe(0);
    } finally {
      await subscriber.stop();
      await store.close();
    }
  }, 60_000);
});
