import { START } from '@eventstore/db-client';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { subscriberSummary } from '../../test/factories/subscription-summary';
import type { SubscriberSummary } from '../api/schemas';
import { createSubscriptionMonitor } from './subscription-monitor';
import type { SubscriptionInfo } from './to-subscription-summary';

const logger = pino({ level: 'silent' });

function streamInfo(overrides: { lastKnown?: bigint; lastCheckpointed?: bigint; parked?: bigint } = {}): SubscriptionInfo {
  return {
    eventSource: 'orders',
    groupName: 'billing',
    status: 'Live',
    settings: { startFrom: START } as SubscriptionInfo['settings'],
    stats: {
      averagePerSecond: 12,
      totalItems: 100n,
      countSinceLastMeasurement: 12n,
      totalInFlightMessages: 3,
      readBufferCount: 0,
      liveBufferCount: 0n,
      retryBufferCount: 0,
      parkedMessageCount: overrides.parked ?? 0n,
      outstandingMessagesCount: 3,
      lastKnownEventRevision: overrides.lastKnown ?? 99n,
      lastCheckpointedEventRevision: overrides.lastCheckpointed ?? 89n,
    },
    connections: [
      {
        from: '',
        username: 'anonymous',
        connectionName: 'c1',
        averageItemsPerSecond: 12,
        totalItems: 100n,
        countSinceLastMeasurement: 12n,
        availableSlots: 7,
        inFlightMessages: 3,
      },
    ],
  } as SubscriptionInfo;
}

const liveSummary: SubscriberSummary = subscriberSummary({
  epoch: 2,
  received: 10,
  delivered: 9,
  duplicatesSuppressed: 1,
  duplicatesByCause: { reconnect: 1, timeout: 0, reload: 0, replay: 0, other: 0 },
});

describe('subscription monitor', () => {
  it('maps each server group to a summary with positions as strings and behind = lastKnown − lastCheckpointed', async () => {
    const monitor = createSubscriptionMonitor({
      listInfos: async () => [streamInfo()],
      listProxied: () => [{ stream: 'orders', group: 'billing' }],
      getProxied: () => ({ summary: liveSummary }),
      onSnapshot: () => undefined,
      logger,
    });
    const snapshot = await monitor.pollOnce();
    expect(snapshot.serverError).toBeNull();
    expect(snapshot.subscriptions).toEqual([
      {
        stream: 'orders',
        group: 'billing',
        status: 'Live',
        health: { level: 'healthy', reasons: [] },
        connections: 1,
        inFlight: 3,
        bufferSize: 10,
        parked: 0,
        lastKnown: '99',
        lastCheckpointed: '89',
        behind: 10,
        ratePerSecond: 12,
        proxied: true,
        subscriber: liveSummary,
      },
    ]);
  });

  it('shows a proxied group that is missing on the server as failing, with the subscriber failure', async () => {
    const failure = {
      kind: 'group-missing' as const,
      message: 'PersistentSubscriptionDoesNotExistError: 5 NOT_FOUND: Subscription group ledger on stream payments does not exist.',
      since: '2026-12-03T20:00:00.000Z',
    };
    const monitor = createSubscriptionMonitor({
      listInfos: async () => [],
      listProxied: () => [{ stream: 'payments', group: 'ledger' }],
      getProxied: () => ({ summary: { ...liveSummary, state: 'backoff', failure } }),
      onSnapshot: () => undefined,
      logger,
    });
    const [row] = (await monitor.pollOnce()).subscriptions;
    expect(row?.status).toBe('NotFound');
    expect(row?.health.level).toBe('failing');
    expect(row?.health.reasons[0]).toBe('Group does not exist on the server');
    expect(row?.subscriber).toMatchObject({ state: 'backoff', failure });
  });

  it('keeps the last known rows and reports the error when the server becomes unreachable', async () => {
    let up = true;
    const monitor = createSubscriptionMonitor({
      listInfos: async () => {
        if (!up) throw new Error('14 UNAVAILABLE: No connection established');
        return [streamInfo()];
      },
      listProxied: () => [],
      getProxied: () => undefined,
      onSnapshot: () => undefined,
      logger,
    });
    await monitor.pollOnce();
    up = false;
    const snapshot = await monitor.pollOnce();
    expect(snapshot.serverError).toBe('14 UNAVAILABLE: No connection established');
    expect(snapshot.subscriptions).toHaveLength(1);
    expect(snapshot.subscriptions[0]?.health.level).toBe('degraded');
    expect(snapshot.subscriptions[0]?.health.reasons[0]).toMatch(/Server unreachable/);
    expect(monitor.isReachable()).toBe(false);
  });

  it('marks a group degraded once its parked count grows between polls', async () => {
    let parked = 0n;
    let t = 1_000_000;
    const monitor = createSubscriptionMonitor({
      listInfos: async () => [streamInfo({ parked })],
      listProxied: () => [],
      getProxied: () => undefined,
      onSnapshot: () => undefined,
      logger,
      now: () => t,
    });
    await monitor.pollOnce();
    parked = 2n;
    t += 1000;
    const snapshot = await monitor.pollOnce();
    expect(snapshot.subscriptions[0]?.health).toEqual({
      level: 'degraded',
      reasons: ['Parked messages grew by 2 in the last 5 min'],
    });
  });
});
