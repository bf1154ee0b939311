/** The deduplicating subscriber as the benchmarks run it: no-op in-process sink, silent logger. */
import type { EventStoreDBClient } from '@eventstore/db-client';
import pino from 'pino';
import type { DedupStore } from '../../lib/dedup/dedup-store';
import {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
  type ReceivedInfo,
} from '../../lib/subscriber/deduplicating-subscriber';
import type { Sink } from '../../lib/subscriber/sink';

export const noopSink: Sink = async () => ({ outcome: 'ok' });

export interface BenchSubscriberOptions {
  client: EventStoreDBClient;
  stream: string;
  group: string;
  store: DedupStore;
  bufferSize: number;
  sink?: Sink;
  onReceived?: (info: ReceivedInfo) => void;
}

export function createBenchSubscriber(options: BenchSubscriberOptions): DeduplicatingSubscriber {
  return createDeduplicatingSubscriber({
    client: options.client,
    stream: options.stream,
    group: options.group,
    store: options.store,
    bufferSize: options.bufferSize,
    sink: options.sink ?? noopSink,
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    onReceived: options.onReceived,
  });
}

/**
 * Runs a subscriber on a group until `count` deliveries were settled (acked); resolves with the
 * elapsed ms from start() to the last of them. Stops the subscriber (not timed).
 */
export async function consumeDeduplicated(
  options: Omit<BenchSubscriberOptions, 'onReceived'>,
  count: number,
): Promise<number> {
  let settled = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const subscriber = createBenchSubscriber({
    ...options,
    onReceived: (info) => {
      if (info.outcome === 'delivered' || info.outcome === 'duplicate') settled += 1;
      if (settled === count) finish();
    },
  });
  const started = performance.now();
  subscriber.start();
  try {
    await finished;
    return performance.now() - started;
  } finally {
    await subscriber.stop();
  }
}
