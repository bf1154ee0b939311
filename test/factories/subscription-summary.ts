import type { SubscriberSummary, SubscriptionSummary } from '../../lib/api/schemas';

/** Test factory: a live subscriber with no counts and no failure, with the given overrides. */
export function subscriberSummary(over: Partial<SubscriberSummary> = {}): SubscriberSummary {
  return {
    state: 'live',
    epoch: 1,
    received: 0,
    delivered: 0,
    duplicatesSuppressed: 0,
    duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
    parked: 0,
    failure: null,
    ...over,
  };
}

/** Test factory: a healthy, not-proxied stream group summary with the given overrides. */
export function subscriptionSummary(over: Partial<SubscriptionSummary> = {}): SubscriptionSummary {
  return {
    stream: 'orders',
    group: 'billing',
    status: 'Live',
    health: { level: 'healthy', reasons: [] },
    connections: 1,
    inFlight: 0,
    bufferSize: 10,
    parked: 0,
    lastKnown: null,
    lastCheckpointed: null,
    behind: 0,
    ratePerSecond: 0,
    proxied: false,
    ...over,
  };
}
