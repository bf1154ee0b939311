import { describe, expect, it } from 'vitest';

import { parsePrometheusText, sampleValue } from '../test/helpers/parse-prometheus';
import type { Epoch } from '../lib/api/schemas';
import { createSubwatchMetrics } from '../lib/metrics/metrics';
import type { ReceivedInfo } from '../lib/subscriber/deduplicating-subscriber';
import type { Delivery, Sink, SinkResult } from '../lib/subscriber/sink';
import { instrumentSubscriberOptions } from './metrics-wiring';

const ref = { stream: 'orders', group: 'billing' };

const delivery: Delivery = {
  eventId: 'e1',
  key: 'e1',
  stream: 'orders',
  revision: '0',
  type: 't',
  data: {},
  metadata: {},
  isJson: true,
  created: '2026-01-01T00:00:00.000Z',
  retryCount: 0,
  epoch: 1,
};

const epoch = (n: number, endedAt: string | null): Epoch => ({
  epoch: n,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt,
  endReason: endedAt === null ? null : 'connection lost',
  received: 0,
  delivered: 0,
  duplicatesSuppressed: 0,
  retried: 0,
  parked: 0,
  skipped: 0,
});

async function scrape(metrics: ReturnType<typeof createSubwatchMetrics>) {
  return parsePrometheusText((await metrics.render()).body);
}

describe('instrumentSubscriberOptions', () => {
  it('passes the sink result through and records its duration; non-ok results count as sink failures', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const results: SinkResult[] = [{ outcome: 'ok' }, { outcome: 'retry', reason: 'busy' }, { outcome: 'park', reason: 'bad' }];
    let clock = 0;
    const options = instrumentSubscriberOptions(
      metrics,
      {
        ...ref,
        extra: 'kept',
        sink: ((_delivery) => {
          clock += 250;
          return Promise.resolve(results.shift()!);
        }) satisfies Sink,
      },
      () => clock,
    );
    expect(options.extra).toBe('kept');
    expect(await options.sink(delivery)).toEqual({ outcome: 'ok' });
    expect(await options.sink(delivery)).toEqual({ outcome: 'retry', reason: 'busy' });
    expect(await options.sink(delivery)).toEqual({ outcome: 'park', reason: 'bad' });
    const text = await scrape(metrics);
    expect(sampleValue(text, 'subwatch_sink_duration_seconds_count', ref)).toBe(3);
    expect(sampleValue(text, 'subwatch_sink_duration_seconds_sum', ref)).toBe(0.75);
    expect(sampleValue(text, 'subwatch_sink_failures_total', ref)).toBe(2);
  });

  it('rethrows what the sink throws and counts it as a sink failure', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const boom = new Error('downstream exploded');
    const options = instrumentSubscriberOptions(metrics, { ...ref, sink: ((_delivery) => Promise.reject(boom)) satisfies Sink });
    await expect(options.sink(delivery)).rejects.toBe(boom);
    expect(sampleValue(await scrape(metrics), 'subwatch_sink_failures_total', ref)).toBe(1);
  });

  it('counts received outcomes and then calls the caller’s onReceived hook', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const seen: string[] = [];
    const options = instrumentSubscriberOptions(metrics, {
      ...ref,
      sink: () => Promise.resolve({ outcome: 'ok' as const }),
      onReceived: (info: ReceivedInfo) => seen.push(info.outcome),
    });
    for (const outcome of ['delivered', 'duplicate'] as const) {
      options.onReceived({ key: 'k', eventId: 'e', retryCount: 0, epoch: 1, outcome });
    }
    const text = await scrape(metrics);
    expect(seen).toEqual(['delivered', 'duplicate']);
    expect(sampleValue(text, 'subwatch_events_received_total', ref)).toBe(2);
    expect(sampleValue(text, 'subwatch_events_delivered_total', ref)).toBe(1);
    expect(sampleValue(text, 'subwatch_duplicates_suppressed_total', ref)).toBe(1);
  });

  it('counts every epoch opened after the first as a reconnect, and forwards epochs to the caller', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const seen: number[] = [];
    const options = instrumentSubscriberOptions(metrics, {
      ...ref,
      sink: () => Promise.resolve({ outcome: 'ok' as const }),
      onEpoch: (e: Epoch) => seen.push(e.epoch),
    });
    expect(sampleValue(await scrape(metrics), 'subwatch_reconnects_total', ref)).toBe(0);
    options.onEpoch(epoch(7, null));
    options.onEpoch(epoch(7, '2026-01-01T00:00:01.000Z'));
    options.onEpoch(epoch(8, null));
    options.onEpoch(epoch(8, '2026-01-01T00:00:02.000Z'));
    options.onEpoch(epoch(9, null));
    expect(seen).toEqual([7, 7, 8, 8, 9]);
    expect(sampleValue(await scrape(metrics), 'subwatch_reconnects_total', ref)).toBe(2);
  });
});
