/**
 * Wraps the demo subscriber's subscription source so a drop caused by the demo's own fault
 * schedule says so: the epoch it ends reads "connection lost: demo fault …" on the dashboard,
 * not like an outage of the server. Other drops pass through unchanged.
 */
import type { PersistentSubscriptionSource } from '../../lib/esdb/persistent-subscription-source';

export const DEMO_FAULT_PREFIX = 'demo fault (the demo cut the connection on purpose)';

/** The drop reason of a demo-fault drop, keeping the client's own text for the failure kind. */
export function toDemoFaultReason(reason: string): string {
  return `${DEMO_FAULT_PREFIX}: ${reason}`;
}

export function labelDemoFaultDrops(
  source: PersistentSubscriptionSource,
  isFaultDrop: (at: number) => boolean,
  now: () => number = Date.now,
): PersistentSubscriptionSource {
  return {
    subscribe(target, handlers) {
      return source.subscribe(target, {
        ...handlers,
        onDropped: (info) => handlers.onDropped(isFaultDrop(now()) ? { ...info, reason: toDemoFaultReason(info.reason) } : info),
      });
    },
  };
}
