import type { PersistentSubscriptionToStream, PersistentSubscriptionToStreamResolvedEvent } from '@eventstore/db-client';

export interface Collected {
  readonly received: PersistentSubscriptionToStreamResolvedEvent[];
  readonly errors: unknown[];
  readonly confirmed: () => boolean;
}

/**
 * Records every delivery and error of a subscription. An error listener is mandatory: the client
 * emits server-side drops as 'error', and an unhandled one would crash the test process.
 */
export function collectDeliveries(subscription: PersistentSubscriptionToStream): Collected {
  const received: PersistentSubscriptionToStreamResolvedEvent[] = [];
  const errors: unknown[] = [];
  let confirmed = false;
  subscription.on('data', (event: PersistentSubscriptionToStreamResolvedEvent) => received.push(event));
  subscription.on('error', (error: unknown) => errors.push(error));
  subscription.on('confirmation', () => {
    confirmed = true;
  });
  return { received, errors, confirmed: () => confirmed };
}
