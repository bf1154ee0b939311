/**
 * Feeds the Prometheus metrics (lib/metrics/metrics.ts) from a deduplicating subscriber: wraps
 * its options so every proxied subscription — demo or config file — is instrumented by one call,
 * `createDeduplicatingSubscriber(instrumentSubscriberOptions(metrics, options))`.
 */
import type { Epoch } from '../lib/api/schemas';
import type { SubwatchMetrics } from '../lib/metrics/metrics';
import type { ReceivedInfo } from '../lib/subscriber/deduplicating-subscriber';
import type { Sink } from '../lib/subscriber/sink';

/** The subscriber options this wrapper reads and replaces (the rest passes through unchanged). */
export interface InstrumentableOptions {
  stream: string;
  group: string;
  sink: Sink;
  onEpoch?: (epoch: Epoch) => void;
  onReceived?: (info: ReceivedInfo) => void;
}

/**
 * Returns `options` with a timed sink (duration histogram, failure counter), and `onReceived` /
 * `onEpoch` hooks that count received/delivered/duplicates and reconnects before calling the
 * caller's own hooks. The caller's sink result and throws pass through untouched, so ack
 * decisions are exactly those of the unwrapped sink.
 */
export function instrumentSubscriberOptions<T extends InstrumentableOptions>(
  metrics: SubwatchMetrics,
  options: T,
  now: () => number = () => performance.now(),
): T {
  const ref = { stream: options.stream, group: options.group };
  const { sink, onEpoch, onReceived } = options;
  metrics.registerSubscription(ref);
  // Epoch numbers come from the store and survive restarts: the first connection this process
  // sees is a start, not a reconnect, whatever its number.
  let sawFirstConnection = false;

  return {
    ...options,
    async sink(delivery) {
      const started = now();
      let failed = true;
      try {
        const result = await sink(delivery);
        failed = result.outcome !== 'ok';
        return result;
      } finally {
        metrics.recordSinkCall(ref, (now() - started) / 1000, failed);
      }
    },
    onReceived(info) {
      metrics.recordReceived(ref, info.outcome);
      onReceived?.(info);
    },
    onEpoch(epoch) {
      if (epoch.endedAt === null) {
        if (sawFirstConnection) metrics.recordReconnect(ref);
        sawFirstConnection = true;
      }
      onEpoch?.(epoch);
    },
  };
}
