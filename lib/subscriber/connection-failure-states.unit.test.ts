import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePersistentSubscription } from '../../test/fakes/fake-persistent-subscription';
import { waitFor } from '../../test/helpers/wait-for';
import { createMemoryDedupStore } from '../dedup/memory-dedup-store';
import type { ConnectionFailureKind } from './connection-failure';
import { createDeduplicatingSubscriber, type DeduplicatingSubscriber } from './deduplicating-subscriber';

const running: DeduplicatingSubscriber[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

const cases: Array<[ConnectionFailureKind, string]> = [
  ['maximum-subscribers-reached', 'PersistentSubscriptionMaximumSubscribersReachedError: Maximum subscriptions reached.'],
  ['group-missing', 'PersistentSubscriptionDoesNotExistError: 5 NOT_FOUND: Subscription group billing on stream orders does not exist.'],
  ['server-unavailable', 'UnavailableError: 14 UNAVAILABLE: No connection established'],
  ['stream-deleted', 'StreamDeletedError: orders is deleted.'],
];

describe('subscriber failure states (in-memory subscription)', () => {
  for (const [kind, reason] of cases) {
    it(`reports ${kind} as its state, logs it once, backs off with growing capped delays, and logs the recovery once`, async () => {
      const lines: Array<{ level: number; msg: string; kind?: string; delayMs?: number; attempts?: number }> = [];
      const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
      const server = createFakePersistentSubscription();
      server.failNextSubscribes(reason, reason, reason, reason, reason, reason);
      server.append(1);
      const subscriber = createDeduplicatingSubscriber({
        source: server.source,
        stream: 'orders',
        group: 'billing',
        store: createMemoryDedupStore(),
        logger,
        sink: async () => ({ outcome: 'ok' }),
        backoff: { initialMs: 10, maxMs: 40, jitter: 0 },
      });
      running.push(subscriber);
      subscriber.start();

      const seen = await waitFor(() => subscriber.getFailure(), { message: 'a failure reported' });
      expect(seen).toMatchObject({ kind, reason });
      const summary = subscriber.getSummary();
      expect(summary.state).not.toBe('live');
      expect(summary.failure).toEqual({ kind, message: reason, since: seen.since });
      expect(Number.isNaN(Date.parse(seen.since))).toBe(false);
      await waitFor(() => server.acks.length === 1, { message: 'live and delivering after the failures' });

      expect(subscriber.getFailure()).toBeNull();
      expect(subscriber.getSummary()).toMatchObject({ state: 'live', failure: null });
      expect(server.subscribeCount()).toBe(7);
      const warnings = lines.filter((l) => l.level === 40);
      expect(warnings).toEqual([expect.objectContaining({ kind, msg: expect.stringMatching(/^subscriber not live: /) })]);
      const delays = lines.filter((l) => l.msg === 'reconnecting after backoff').map((l) => l.delayMs);
      expect(delays).toEqual([10, 20, 40, 40, 40, 40]);
      const recoveries = lines.filter((l) => l.msg === 'subscriber live again');
      expect(recoveries).toEqual([expect.objectContaining({ kind, attempts: 6 })]);
    });
  }

  it('logs a new line when the kind of failure changes, not when it repeats', async () => {
    const lines: Array<{ level: number; kind?: string }> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const server = createFakePersistentSubscription();
    const unavailable = 'UnavailableError: 14 UNAVAILABLE: No connection established';
    const missing = 'PersistentSubscriptionDoesNotExistError: 5 NOT_FOUND';
    server.failNextSubscribes(unavailable, unavailable, missing, missing);
    const subscriber = createDeduplicatingSubscriber({
      source: server.source,
      stream: 'orders',
      group: 'billing',
      store: createMemoryDedupStore(),
      logger,
      sink: async () => ({ outcome: 'ok' }),
      backoff: { initialMs: 1, maxMs: 4, jitter: 0 },
    });
    running.push(subscriber);
    subscriber.start();
    await waitFor(() => subscriber.getSummary().state === 'live', { message: 'live' });
    expect(lines.filter((l) => l.level === 40).map((l) => l.kind)).toEqual(['server-unavailable', 'group-missing']);
  });
});
