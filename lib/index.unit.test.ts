/**
 * The library entry (lib/index.ts) as a Node user sees it: a subscriber with an in-process
 * handler sink over the in-memory model of a persistent subscription.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createFakePersistentSubscription } from '../test/fakes/fake-persistent-subscription';
import { waitFor } from '../test/helpers/wait-for';
import * as subwatch from './index';
import { createDeduplicatingSubscriber, createHandlerSink, createMemoryDedupStore, park, retry, type Delivery } from './index';

const logger = pino({ level: 'silent' });

describe('library API', () => {
  it('exports the subscriber, the stores, the pruner and both sinks', () => {
    for (const name of [
      'createDeduplicatingSubscriber',
      'createSqliteDedupStore',
      'createMemoryDedupStore',
      'createDedupPruner',
      'createWebhookSink',
      'createHandlerSink',
      'park',
      'retry',
    ]) {
      expect(typeof (subwatch as Record<string, unknown>)[name]).toBe('function');
    }
  });

  it('exports the failure kinds and duplicate causes a Node user sees in getSummary() and the epochs', () => {
    const kinds: readonly subwatch.ConnectionFailureKind[] = subwatch.connectionFailureKinds;
    expect([...kinds].sort()).toEqual(
      ['connection-lost', 'dropped-by-server', 'group-missing', 'maximum-subscribers-reached', 'server-unavailable', 'stream-deleted'],
    );
    const causes: readonly subwatch.DuplicateCause[] = subwatch.duplicateCauses;
    expect([...causes].sort()).toEqual(['other', 'reconnect', 'reload', 'replay', 'timeout']);
    for (const kind of kinds) expect(subwatch.describeConnectionFailure(kind)).toMatch(/backoff/);
    // Every cause is a key of the per-cause counts of an epoch and of the summary.
    const zero: subwatch.DuplicatesByCause = { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 };
    expect(Object.keys(zero).sort()).toEqual([...causes].sort());
  });

  it('reports why it is not live through getSummary().failure, and null once live', async () => {
    const server = createFakePersistentSubscription();
    const refused = 'PersistentSubscriptionMaximumSubscribersReachedError: 9 FAILED_PRECONDITION: Maximum subscriptions reached.';
    server.failNextSubscribes(refused);
    const subscriber = createDeduplicatingSubscriber({
      source: server.source,
      stream: 'orders',
      group: 'billing',
      store: createMemoryDedupStore(),
      logger,
      backoff: { initialMs: 50, maxMs: 50, jitter: 0 },
      sink: createHandlerSink(() => undefined),
    });
    subscriber.start();
    try {
      const failure: subwatch.SubscriberFailureInfo | null = await waitFor(() => subscriber.getSummary().failure, {
        message: 'a failure in the summary',
      });
      expect(failure).toMatchObject({ kind: 'maximum-subscribers-reached', message: refused });
      await waitFor(() => subscriber.getSummary().state === 'live', { message: 'live after the backoff' });
      expect(subscriber.getSummary().failure).toBeNull();
    } finally {
      await subscriber.stop();
    }
  });

  it('maps a handler return to ack, park(reason) to nack park, a throw or retry(reason) to nack retry', async () => {
    const server = createFakePersistentSubscription({ maxRetryCount: 5 });
    const [ok, bad, flaky, busy] = server.append(4);
    const calls: Delivery[] = [];
    let flakyAttempts = 0;
    let busyAttempts = 0;
    const subscriber = createDeduplicatingSubscriber({
      source: server.source,
      stream: 'orders',
      group: 'billing',
      store: createMemoryDedupStore(),
      logger,
      retryBackoff: { initialMs: 1, maxMs: 5 },
      sink: createHandlerSink(async (delivery) => {
        calls.push(delivery);
        if (delivery.eventId === bad) return park('order has no lines');
        if (delivery.eventId === flaky && ++flakyAttempts === 1) throw new Error('db unavailable');
        if (delivery.eventId === busy && ++busyAttempts === 1) return retry('rate limited');
        return { inserted: 1 }; // any other value: ok
      }),
    });
    subscriber.start();
    try {
      await waitFor(() => server.isIdle() && server.acks.length === 3, { message: 'three acks and one park' });
      expect(new Set(server.acks)).toEqual(new Set([ok, flaky, busy]));
      expect(server.nacks).toEqual(
        expect.arrayContaining([
          { id: bad, action: 'park', reason: 'order has no lines' },
          { id: flaky, action: 'retry', reason: 'sink asked to retry: handler threw: Error: db unavailable' },
        ]),
      );
      expect(server.nacks.find((n) => n.id === busy)).toEqual({ id: busy, action: 'retry', reason: 'sink asked to retry: rate limited' });
      // The handler sees the dedup key (eventId by default) as `key`.
      expect(calls.every((d) => d.key === d.eventId)).toBe(true);
      expect(calls.filter((d) => d.eventId === ok)).toHaveLength(1);
      expect(subscriber.getSummary()).toMatchObject({ delivered: 3, parked: 1, duplicatesSuppressed: 0 });
    } finally {
      await subscriber.stop();
    }
  });

  it('fails fast when the handler is not a function', () => {
    expect(() => createHandlerSink(undefined as unknown as () => void)).toThrow(/pass a function/);
  });
});
