/**
 * Deduplicating subscriber + webhook sink against the embedded EventStoreDB-compatible server:
 * the DESIGN.md §6 response mapping as the server sees it (parked stream, retries, maxRetryCount).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLogger, startEsdbFixture, stopEsdbFixture, type EmbeddedEsdb } from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { startWebhookReceiver, type WebhookCall, type WebhookReceiver, type WebhookReply } from '../../test/helpers/webhook-receiver';
import { createSqliteDedupStore } from '../dedup/sqlite-dedup-store';
import { createDeduplicatingSubscriber, type DeduplicatingSubscriber } from './deduplicating-subscriber';
import { createWebhookSink } from './webhook-sink';

const logger = createTestLogger();

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-webhook-int-'));
});

afterAll(() => stopEsdbFixture({ esdb, admin, dir }));

interface Harness {
  stream: string;
  group: string;
  eventId: string;
  hook: WebhookReceiver;
  subscriber: DeduplicatingSubscriber;
  close(): Promise<void>;
}

/** One event on a fresh stream, a group from the start, a subscriber whose webhook answers per `respond`. */
async function start(
  respond: (call: WebhookCall) => WebhookReply,
  settings: Partial<PersistentSubscriptionToStreamSettings> = {},
  timeoutMs = 5_000,
): Promise<Harness> {
  const stream = `orders-${randomUUID()}`;
  const group = `billing-${randomUUID()}`;
  const eventId = randomUUID();
  await admin.appendToStream(stream, jsonEvent({ id: eventId, type: 'OrderPlaced', data: { orderId: 42 } }));
  await admin.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
  const hook = await startWebhookReceiver(respond);
  const client = EventStoreDBClient.connectionString(esdb.connectionString);
  const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
  const subscriber = createDeduplicatingSubscriber({
    client,
    stream,
    group,
    store,
    logger,
    sink: createWebhookSink({ url: hook.url, timeoutMs, logger }),
    retryBackoff: { initialMs: 20, maxMs: 100 },
    backoff: { initialMs: 20, maxMs: 200 },
    epochFlushMs: 50,
  });
  subscriber.start();
  return {
    stream,
    group,
    eventId,
    hook,
    subscriber,
    async close() {
      await subscriber.stop();
      await client.dispose();
      await store.close();
      await hook.close();
    },
  };
}

/** The parked records of the group, with the reason the server stored. */
async function readParked(stream: string, group: string): Promise<Array<{ eventId: string; reason: string }>> {
  const parked: Array<{ eventId: string; reason: string }> = [];
  for await (const resolved of admin.readStream(`$persistentsubscription-${stream}::${group}-parked`, { resolveLinkTos: true })) {
    const metadata = resolved.link?.metadata as { reason?: string } | undefined;
    parked.push({ eventId: resolved.event!.id, reason: metadata?.reason ?? '' });
  }
  return parked;
}

async function parkedCount(stream: string, group: string): Promise<bigint> {
  return (await admin.getPersistentSubscriptionToStreamInfo(stream, group)).stats.parkedMessageCount;
}

describe('webhook sink through the deduplicating subscriber and the embedded server', () => {
  it('parks an event the webhook rejects with 400, with the response as the parked reason', async () => {
    const h = await start(() => ({ status: 400, body: '{"error":"order 42 has no lines"}' }));
    try {
      await waitFor(async () => (await parkedCount(h.stream, h.group)) === 1n, { timeoutMs: 15_000, message: 'one parked message' });
      const parked = await readParked(h.stream, h.group);
      expect(parked).toHaveLength(1);
      expect(parked[0]!.eventId).toBe(h.eventId);
      expect(parked[0]!.reason).toContain('HTTP 400 Bad Request: {"error":"order 42 has no lines"}');
      expect(h.hook.calls).toHaveLength(1);
      expect(h.subscriber.getSummary()).toMatchObject({ received: 1, delivered: 0, parked: 1 });
    } finally {
      await h.close();
    }
  });

  it('delivers once after three 503s: four calls with the same Idempotency-Key, one success, nothing parked', async () => {
    const h = await start((call) => (call.n <= 3 ? { status: 503, body: 'warming up' } : { status: 200 }));
    try {
      await waitFor(() => h.subscriber.getSummary().delivered === 1, { timeoutMs: 20_000, message: 'the event delivered' });
      expect(h.hook.calls.map((c) => c.headers['idempotency-key'])).toEqual([h.eventId, h.eventId, h.eventId, h.eventId]);
      expect(h.hook.calls.map((c) => c.body.retryCount)).toEqual([0, 1, 2, 3]);
      expect(h.hook.calls.map((c) => c.status)).toEqual([503, 503, 503, 200]);
      await waitFor(async () => {
        const info = await admin.getPersistentSubscriptionToStreamInfo(h.stream, h.group);
        return info.stats.totalInFlightMessages === 0 && info.stats.retryBufferCount === 0;
      }, { message: 'the server to have nothing in flight' });
      expect(await parkedCount(h.stream, h.group)).toBe(0n);
      await waitFor(async () => (await h.subscriber.listEpochs(1))[0]?.retried === 3, { message: 'three retries counted in the epoch' });
      expect(h.subscriber.getSummary()).toMatchObject({ received: 4, delivered: 1, parked: 0, duplicatesSuppressed: 0 });
    } finally {
      await h.close();
    }
  });

  it('leaves an always-503 event to the server, which parks it after maxRetryCount', async () => {
    const h = await start(() => ({ status: 503 }), { maxRetryCount: 2 });
    try {
      await waitFor(async () => (await parkedCount(h.stream, h.group)) === 1n, { timeoutMs: 20_000, message: 'the server to park the event' });
      const [parked] = await readParked(h.stream, h.group);
      expect(parked!.eventId).toBe(h.eventId);
      expect(parked!.reason).toMatch(/retry count of 2/i);
      // retryCount 0, 1, 2: the nack of the third attempt reaches the limit.
      expect(h.hook.calls.map((c) => c.body.retryCount)).toEqual([0, 1, 2]);
      expect(h.subscriber.getSummary()).toMatchObject({ delivered: 0, parked: 0 });
    } finally {
      await h.close();
    }
  });

  it('retries a call that times out and delivers on the next attempt', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const h = await start((call) => (call.n === 1 ? { status: 200, wait: firstHeld } : { status: 200 }), {}, 300);
    try {
      await waitFor(() => h.subscriber.getSummary().delivered === 1, { timeoutMs: 15_000, message: 'the event delivered after the timeout' });
      expect(h.hook.calls).toHaveLength(2);
      expect(h.hook.calls.map((c) => c.headers['idempotency-key'])).toEqual([h.eventId, h.eventId]);
      expect(h.hook.calls[1]!.body.retryCount).toBe(1);
    } finally {
      releaseFirst();
      await h.close();
    }
  });
});
