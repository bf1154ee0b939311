import { subscriptionSummary } from '../../test/factories/subscription-summary';

import type { LiveSample } from './live-history';

/** Test helper: a sample at `t` seconds with the given overrides. */
export function sample(tSeconds: number, over: Partial<LiveSample> = {}): LiveSample {
  return {
    t: tSeconds * 1000,
    ratePerSecond: 0,
    inFlight: 0,
    bufferSize: 10,
    parked: 0,
    behind: 0,
    received: 0,
    delivered: 0,
    duplicatesSuppressed: 0,
    ...over,
  };
}

/** Test helper: a subscription summary with the given overrides. */
export const summary = subscriptionSummary;
