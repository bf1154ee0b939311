/**
 * "No event lost, no duplicate reaches the sink" against the embedded EventStoreDB-compatible
 * server (child process), with the official client connected through the TCP fault proxy.
 */
import { randomInt, randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFaultProxy,
  createTestLogger,
  startEsdbFixture,
  stopEsdbFixture,
  type EmbeddedEsdb,
  type FaultProxy,
} from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { epochSchema } from '../api/schemas';
import type { DedupStore } from '../dedup/dedup-store';
import { createSqliteDedupStore } from '../dedup/sqlite-dedup-store';
import { createDeduplicatingSubscriber, type DeduplicatingSubscriber } from './deduplicating-subscriber';
import type { Sink } from './sink';
import { appendOrders } from '../../test/helpers/append-orders';

const logger = createTestLogger();
const BUFFER_SIZE = 10;

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-subscriber-int-'));
});

afterAll(() => stopEsdbFixture({ esdb, admin, dir }));

/** A fresh stream with `count` events and a group from the start; returns the event ids in order. */
async function seed(
  count: number,
  settings: Partial<PersistentSubscriptionToStreamSettings> = {},
): Promise<{ stream: string; group: string; ids: string[] }> {
  const stream = `orders-${randomUUID()}`;
  const group = `billing-${randomUUID()}`;
  const ids = await appendOrders(admin, stream, count);
  await admin.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 100, ...settings }),
  );
  return { stream, group, ids };
}

/**
 * The sink's own record: every call, per event id. `beforeReturn(total)` runs inside the sink
 * call, i.e. before this delivery is recorded done and acked (used to start faults).
 */
function recordingSink(beforeReturn: (total: number) => void = () => undefined) {
  const calls = new Map<string, number>();
  let total = 0;
  const sink: Sink = async (delivery) => {
    total += 1;
    calls.set(delivery.eventId, (calls.get(delivery.eventId) ?? 0) + 1);
    beforeReturn(total);
    return { outcome: 'ok' };
  };
  return { sink, calls, total: () => total };
}

/** Nothing in flight or waiting for retry on the server, and every event was read. */
async function serverIsQuiet(stream: string, group: string, lastRevision: number): Promise<boolean> {
  const info = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
  return (
    info.stats.totalInFlightMessages === 0 &&
    info.stats.retryBufferCount === 0 &&
    info.stats.readBufferCount === 0 &&
    info.stats.lastKnownEventRevision === BigInt(lastRevision)
  );
}

function proxiedClient(proxy: FaultProxy): EventStoreDBClient {
  return EventStoreDBClient.connectionString(`esdb://127.0.0.1:${proxy.port}?tls=false`);
}

describe('deduplicating subscriber against the embedded server through the fault proxy', () => {
  it('delivers 2,000 events exactly once across 5 cuts with held acks, and counts every suppressed duplicate', async () => {
    const { stream, group, ids } = await seed(2000);
    const proxy = await createFaultProxy({ target: { host: esdb.host, port: esdb.port } });
    const client = proxiedClient(proxy);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    // 5 cuts at random points, spread so each lands while events are still flowing. The pause
    // starts inside the sink call of the threshold event, so at least that event's ack is held
    // (and lost at the cut) after it was recorded done: a guaranteed redelivery of a done event.
    const thresholds = Array.from({ length: 5 }, (_, i) => 100 + i * 360 + randomInt(0, 200));
    let pausedAt: number | undefined;
    const { sink, calls, total } = recordingSink((n) => {
      if (thresholds.includes(n)) {
        proxy.pause('client-to-server');
        pausedAt = Date.now();
      }
    });
    let receptions = 0;
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      bufferSize: BUFFER_SIZE,
      store,
      sink,
      logger,
      backoff: { initialMs: 20, maxMs: 200 },
      onReceived: () => (receptions += 1),
    });
    try {
      subscriber.start();

      for (const [i, threshold] of thresholds.entries()) {
        const pauseMs = randomInt(300, 1001);
        await waitFor(() => pausedAt !== undefined && Date.now() - pausedAt >= pauseMs, {
          timeoutMs: 20_000,
          message: () => `pause ${i + 1} at sink call ${threshold} (sink calls so far: ${total()})`,
        });
        pausedAt = undefined;
        proxy.cutAll();
        proxy.resume('client-to-server');
        await waitFor(
          () => subscriber.getSummary().epoch === i + 2 && subscriber.getSummary().state === 'live',
          { timeoutMs: 15_000, message: `epoch ${i + 2} live after cut ${i + 1}` },
        );
      }

      await waitFor(() => calls.size === ids.length, { timeoutMs: 30_000, message: 'every event in the sink' });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { timeoutMs: 20_000, message: 'quiet server' });
      await subscriber.stop();

      // No event lost, none twice.
      expect([...calls.keys()].sort()).toEqual([...ids].sort());
      expect([...calls.values()].every((n) => n === 1)).toBe(true);
      expect(total()).toBe(ids.length);

      const epochs = await subscriber.listEpochs(100);
      for (const epoch of epochs) epochSchema.parse(epoch);
      expect(epochs.map((e) => e.epoch)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(epochs[0]?.endReason).toBe('stopped');
      for (const epoch of epochs.slice(1)) expect(epoch.endReason).toMatch(/^connection lost: /);

      // Oracle: the sink always succeeds, so every reception that did not reach the sink was a
      // redelivery of an already-done event.
      const suppressed = epochs.reduce((sum, e) => sum + e.duplicatesSuppressed, 0);
      expect(epochs.reduce((sum, e) => sum + e.received, 0)).toBe(receptions);
      expect(suppressed).toBe(receptions - total());
      expect(suppressed).toBeGreaterThanOrEqual(5);
      expect(epochs.reduce((sum, e) => sum + e.delivered, 0)).toBe(ids.length);
      // Cuts only (no reload, no replay): every copy is a retry of a message in flight at a cut;
      // those received on the connection that followed are reconnect duplicates, none a reload.
      for (const epoch of epochs) {
        const { reconnect, timeout, reload, replay, other } = epoch.duplicatesByCause;
        expect(reconnect + timeout + reload + replay + other).toBe(epoch.duplicatesSuppressed);
        expect({ reload, replay, other }).toEqual({ reload: 0, replay: 0, other: 0 });
      }
      console.info(`[chaos] receptions=${receptions} delivered=${total()} duplicatesSuppressed=${suppressed}`);
    } finally {
      await subscriber.stop();
      await client.dispose();
      await proxy.close();
      await store.close();
    }
  });

  it('suppresses redelivered done events after the subscriber is replaced, as after a process restart', async () => {
    const { stream, group, ids } = await seed(600);
    const file = path.join(dir, `${randomUUID()}.db`);
    const proxy = await createFaultProxy({ target: { host: esdb.host, port: esdb.port } });
    let pausedAt: number | undefined;
    const { sink, calls, total } = recordingSink((n) => {
      if (n === 250) {
        proxy.pause('client-to-server');
        pausedAt = Date.now();
      }
    });

    const run = (store: DedupStore, client: EventStoreDBClient) => {
      let receptions = 0;
      const subscriber: DeduplicatingSubscriber = createDeduplicatingSubscriber({
        client,
        stream,
        group,
        bufferSize: BUFFER_SIZE,
        store,
        sink,
        logger,
        backoff: { initialMs: 20, maxMs: 200 },
        onReceived: () => (receptions += 1),
      });
      subscriber.start();
      return { subscriber, receptions: () => receptions };
    };

    // First "process": runs until 250 events are done, then its last acks are held and lost.
    const storeA = createSqliteDedupStore({ path: file });
    const clientA = proxiedClient(proxy);
    const first = run(storeA, clientA);
    await waitFor(() => pausedAt !== undefined, { timeoutMs: 20_000, message: '250 events in the sink' });
    await first.subscriber.stop(); // drains; its last acks are written into the held direction
    const firstEpochs = await first.subscriber.listEpochs(10);
    await storeA.close();
    proxy.cutAll();
    proxy.resume('client-to-server');
    await clientA.dispose();

    // Second "process": new client, new store session on the same file.
    const storeB = createSqliteDedupStore({ path: file });
    const clientB = proxiedClient(proxy);
    const second = run(storeB, clientB);
    try {
      await waitFor(() => calls.size === ids.length, { timeoutMs: 30_000, message: 'every event in the sink' });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { timeoutMs: 20_000, message: 'quiet server' });
      await second.subscriber.stop();

      expect([...calls.keys()].sort()).toEqual([...ids].sort());
      expect(total()).toBe(ids.length);

      const summary = second.subscriber.getSummary();
      expect(summary.duplicatesSuppressed).toBeGreaterThanOrEqual(1);
      expect(summary.duplicatesSuppressed).toBe(second.receptions() - summary.delivered);
      // Epoch numbers continue across the restart.
      expect(firstEpochs.map((e) => [e.epoch, e.endReason])).toEqual([[1, 'stopped']]);
      expect((await second.subscriber.listEpochs(10)).map((e) => [e.epoch, e.endReason])).toEqual([
        [2, 'stopped'],
        [1, 'stopped'],
      ]);
      console.info(
        `[restart] first=${first.receptions()} second=${second.receptions()} duplicatesSuppressed=${summary.duplicatesSuppressed}`,
      );
    } finally {
      await second.subscriber.stop();
      await clientB.dispose();
      await proxy.close();
      await storeB.close();
    }
  });

  it('suppresses every done event the server redelivers with retryCount 0 after a subsystem restart', async () => {
    // No checkpoint is written for these 300 events, so the reloaded group redelivers all of them.
    const { stream, group, ids } = await seed(300, {
      checkPointAfter: 600_000,
      checkPointLowerBound: 10_000,
      checkPointUpperBound: 10_000,
    });
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const { sink, calls, total } = recordingSink();
    const retryCounts: number[] = [];
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      bufferSize: BUFFER_SIZE,
      store,
      sink,
      logger,
      backoff: { initialMs: 20, maxMs: 200 },
      onReceived: (info) => {
        if (info.outcome === 'duplicate') retryCounts.push(info.retryCount);
      },
    });
    try {
      subscriber.start();
      await waitFor(() => calls.size === ids.length, { timeoutMs: 20_000, message: 'first pass in the sink' });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { message: 'first pass acked' });

      await admin.restartPersistentSubscriptionSubsystem();

      await waitFor(() => subscriber.getSummary().duplicatesSuppressed === ids.length, {
        timeoutMs: 20_000,
        message: () => `every event suppressed once (so far ${subscriber.getSummary().duplicatesSuppressed})`,
      });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { message: 'redeliveries acked' });
      await subscriber.stop();

      expect(total()).toBe(ids.length);
      expect(retryCounts.every((n) => n === 0)).toBe(true);
      const epochs = await subscriber.listEpochs(10);
      expect(epochs.map((e) => [e.epoch, e.delivered, e.duplicatesSuppressed])).toEqual([
        [2, 0, ids.length],
        [1, ids.length, 0],
      ]);
      expect(epochs[1]?.endReason).toMatch(/^connection lost: PersistentSubscriptionDroppedError/);
      // retryCount 0 after a persistent-subscription-dropped drop: a reload from the checkpoint.
      expect(epochs[0]?.duplicatesByCause).toEqual({ reconnect: 0, timeout: 0, reload: ids.length, replay: 0, other: 0 });
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });

  it('lets a restarted process take over the claims a crashed process left in progress', async () => {
    const { stream, group, ids } = await seed(200);
    const file = path.join(dir, `${randomUUID()}.db`);
    const completed = new Map<string, number>();
    const record = (eventId: string) => completed.set(eventId, (completed.get(eventId) ?? 0) + 1);

    // Process A: its sink hangs from the 100th call on, and the process "dies" (its network goes
    // away; its SQLite handle and in-progress claims stay behind, nothing is released).
    const proxyA = await createFaultProxy({ target: { host: esdb.host, port: esdb.port } });
    const clientA = proxiedClient(proxyA);
    const storeA = createSqliteDedupStore({ path: file });
    let crashed = false;
    let unblock: () => void = () => undefined;
    const hang = new Promise<void>((resolve) => (unblock = resolve));
    const hungIds = new Set<string>();
    const subscriberA = createDeduplicatingSubscriber({
      client: clientA,
      stream,
      group,
      bufferSize: BUFFER_SIZE,
      store: storeA,
      logger,
      backoff: { initialMs: 20, maxMs: 100 },
      sink: async (delivery) => {
        if (crashed || completed.size + 1 >= 100) {
          crashed = true;
          hungIds.add(delivery.eventId);
          await hang; // the dead process never finishes this call
          return { outcome: 'retry', reason: 'process died' };
        }
        record(delivery.eventId);
        return { outcome: 'ok' };
      },
    });
    subscriberA.start();
    await waitFor(() => crashed, { timeoutMs: 20_000, message: 'process A hangs in its sink' });
    await proxyA.close();

    // Process B: same SQLite file, new session; the server redelivers A's unacked messages.
    const clientB = EventStoreDBClient.connectionString(esdb.connectionString);
    const storeB = createSqliteDedupStore({ path: file });
    const subscriberB = createDeduplicatingSubscriber({
      client: clientB,
      stream,
      group,
      bufferSize: BUFFER_SIZE,
      store: storeB,
      logger,
      backoff: { initialMs: 20, maxMs: 100 },
      sink: async (delivery) => {
        record(delivery.eventId);
        return { outcome: 'ok' };
      },
    });
    try {
      subscriberB.start();
      await waitFor(() => completed.size === ids.length, {
        timeoutMs: 20_000,
        message: () => `every event completed (have ${completed.size})`,
      });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { message: 'quiet server' });

      expect(hungIds.size).toBeGreaterThanOrEqual(1);
      expect([...completed.keys()].sort()).toEqual([...ids].sort());
      expect([...completed.values()].every((n) => n === 1)).toBe(true);
      // The keys A held in progress were claimed and delivered by B.
      for (const id of hungIds) expect(completed.get(id)).toBe(1);
    } finally {
      await subscriberB.stop();
      unblock(); // let the "dead" process's objects wind down so the test leaves nothing running
      await subscriberA.stop();
      await Promise.all([clientA.dispose(), clientB.dispose()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }
  });

  it('keeps retrying with backoff while the group does not exist, opening no epoch, and goes live once it does', async () => {
    const stream = `orders-${randomUUID()}`;
    const group = `billing-${randomUUID()}`;
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const { sink, calls } = recordingSink();
    const states = new Set<string>();
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      store,
      sink,
      logger,
      backoff: { initialMs: 20, maxMs: 100 },
    });
    try {
      subscriber.start();
      await waitFor(() => (states.add(subscriber.getSummary().state), states.has('backoff')), {
        message: 'backoff after the first failed subscribe',
      });
      expect(await subscriber.listEpochs(10)).toEqual([]);

      await admin.appendToStream(stream, [jsonEvent({ type: 'OrderPlaced', data: { n: 0 } })]);
      await admin.createPersistentSubscriptionToStream(
        stream,
        group,
        persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
      );
      // The sink records the call before it returns; `delivered` counts once the key is done.
      await waitFor(() => calls.size === 1 && subscriber.getSummary().delivered === 1, {
        timeoutMs: 10_000,
        message: 'the event after the group was created, delivered',
      });
      expect(subscriber.getSummary()).toMatchObject({ state: 'live', epoch: 1, delivered: 1 });
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });

  it('delivers a parked event again after the parked messages are replayed, acking the parked link', async () => {
    const { stream, group, ids } = await seed(20);
    const poison = ids[7] ?? '';
    const client = EventStoreDBClient.connectionString(esdb.connectionString);
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    const delivered: Array<{ eventId: string; retryCount: number }> = [];
    let healed = false;
    const subscriber = createDeduplicatingSubscriber({
      client,
      stream,
      group,
      store,
      logger,
      sink: async (delivery) => {
        if (delivery.eventId === poison && !healed) return { outcome: 'park', reason: 'HTTP 422: invalid order' };
        delivered.push({ eventId: delivery.eventId, retryCount: delivery.retryCount });
        return { outcome: 'ok' };
      },
    });
    try {
      subscriber.start();
      await waitFor(() => delivered.length === ids.length - 1, { message: 'all but the poison event' });
      await waitFor(async () => (await admin.getPersistentSubscriptionToStreamInfo(stream, group)).stats.parkedMessageCount === 1n, {
        message: 'one parked message',
      });

      healed = true;
      await admin.replayParkedMessagesToStream(stream, group);
      await waitFor(() => delivered.length === ids.length, { message: 'the replayed event in the sink' });
      await waitFor(() => serverIsQuiet(stream, group, ids.length - 1), { message: 'replay acked' });
      await subscriber.stop();

      expect(delivered.filter((d) => d.eventId === poison)).toEqual([{ eventId: poison, retryCount: 0 }]);
      expect(new Set(delivered.map((d) => d.eventId)).size).toBe(ids.length);
      const [epoch] = await subscriber.listEpochs(1);
      expect(epoch).toMatchObject({ parked: 1, delivered: ids.length, duplicatesSuppressed: 0 });
    } finally {
      await subscriber.stop();
      await client.dispose();
      await store.close();
    }
  });
});
