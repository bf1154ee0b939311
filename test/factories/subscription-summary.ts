import type { SubscriptionSummary } from '../../lib/api/schemas';

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
