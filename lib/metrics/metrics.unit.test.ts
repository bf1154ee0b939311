import { describe, expect, it } from 'vitest';

import { parsePrometheusText, sampleValue } from '../../test/helpers/parse-prometheus';
import type { SnapshotEvent, SubscriptionSummary } from '../api/schemas';
import { subscriberSummary, subscriptionSummary } from '../../test/factories/subscription-summary';
import { createSubwatchMetrics } from './metrics';

const ref = { stream: 'orders', group: 'billing' };

function row(overrides: Partial<SubscriptionSummary>): SubscriptionSummary {
  return subscriptionSummary({ behind: null, proxied: true, ...overrides });
}

const snapshot = (subscriptions: SubscriptionSummary[]): SnapshotEvent => ({
  ts: '2026-01-01T00:00:00.000Z',
  subscriptions,
  serverError: null,
});

async function scrape(metrics: ReturnType<typeof createSubwatchMetrics>) {
  const { contentType, body } = await metrics.render();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(body);
}

describe('subwatch metrics', () => {
  it('exposes the counters of a registered subscription at zero with stream and group labels', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    metrics.registerSubscription(ref);
    const text = await scrape(metrics);
    for (const name of [
      'subwatch_events_received_total',
      'subwatch_events_delivered_total',
      'subwatch_duplicates_suppressed_total',
      'subwatch_reconnects_total',
      'subwatch_sink_failures_total',
    ]) {
      expect(text.types.get(name), name).toBe('counter');
      expect(sampleValue(text, name, ref), name).toBe(0);
    }
  });

  it('counts every received delivery and splits delivered from duplicates suppressed', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    for (const outcome of ['delivered', 'delivered', 'duplicate', 'retry', 'parked'] as const) metrics.recordReceived(ref, outcome);
    const text = await scrape(metrics);
    expect(sampleValue(text, 'subwatch_events_received_total', ref)).toBe(5);
    expect(sampleValue(text, 'subwatch_events_delivered_total', ref)).toBe(2);
    expect(sampleValue(text, 'subwatch_duplicates_suppressed_total', ref)).toBe(1);
  });

  it('observes sink durations in a histogram and counts failed sink calls', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    metrics.recordSinkCall(ref, 0.003, false);
    metrics.recordSinkCall(ref, 0.2, true);
    metrics.recordReconnect(ref);
    const text = await scrape(metrics);
    expect(text.types.get('subwatch_sink_duration_seconds')).toBe('histogram');
    expect(sampleValue(text, 'subwatch_sink_duration_seconds_count', ref)).toBe(2);
    expect(sampleValue(text, 'subwatch_sink_duration_seconds_bucket', { ...ref, le: '0.005' })).toBe(1);
    expect(sampleValue(text, 'subwatch_sink_duration_seconds_bucket', { ...ref, le: '+Inf' })).toBe(2);
    expect(sampleValue(text, 'subwatch_sink_failures_total', ref)).toBe(1);
    expect(sampleValue(text, 'subwatch_reconnects_total', ref)).toBe(1);
  });

  it('sets the gauges from a snapshot with health 0 healthy, 1 degraded, 2 failing', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    metrics.recordSnapshot(
      snapshot([
        row({ group: 'a', parked: 3, inFlight: 7, behind: 42 }),
        row({ group: 'b', health: { level: 'degraded', reasons: ['x'] } }),
        row({ stream: '$all', group: 'c', health: { level: 'failing', reasons: ['y'] } }),
      ]),
    );
    const text = await scrape(metrics);
    expect(text.types.get('subwatch_parked_messages')).toBe('gauge');
    expect(sampleValue(text, 'subwatch_parked_messages', { stream: 'orders', group: 'a' })).toBe(3);
    expect(sampleValue(text, 'subwatch_in_flight_messages', { stream: 'orders', group: 'a' })).toBe(7);
    expect(sampleValue(text, 'subwatch_behind_events', { stream: 'orders', group: 'a' })).toBe(42);
    expect(sampleValue(text, 'subwatch_behind_events', { stream: 'orders', group: 'b' })).toBeUndefined();
    expect(sampleValue(text, 'subwatch_subscription_health', { stream: 'orders', group: 'a' })).toBe(0);
    expect(sampleValue(text, 'subwatch_subscription_health', { stream: 'orders', group: 'b' })).toBe(1);
    expect(sampleValue(text, 'subwatch_subscription_health', { stream: '$all', group: 'c' })).toBe(2);
  });

  it('reports proxied subscribers as live 1 or 0 and leaves groups without a subscriber out', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const subscriber = (state: 'live' | 'backoff') => subscriberSummary({ state });
    metrics.recordSnapshot(
      snapshot([row({ group: 'up', subscriber: subscriber('live') }), row({ group: 'down', subscriber: subscriber('backoff') }), row({ group: 'watched', proxied: false })]),
    );
    const text = await scrape(metrics);
    expect(text.types.get('subwatch_subscriber_live')).toBe('gauge');
    expect(sampleValue(text, 'subwatch_subscriber_live', { group: 'up' })).toBe(1);
    expect(sampleValue(text, 'subwatch_subscriber_live', { group: 'down' })).toBe(0);
    expect(sampleValue(text, 'subwatch_subscriber_live', { group: 'watched' })).toBeUndefined();
  });

  it('drops the gauges of a group that is missing from the next snapshot', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    metrics.recordSnapshot(snapshot([row({ group: 'gone', parked: 1 }), row({ group: 'kept', parked: 2 })]));
    metrics.recordSnapshot(snapshot([row({ group: 'kept', parked: 5 })]));
    const text = await scrape(metrics);
    expect(sampleValue(text, 'subwatch_parked_messages', { group: 'gone' })).toBeUndefined();
    expect(sampleValue(text, 'subwatch_parked_messages', { group: 'kept' })).toBe(5);
  });

  it('escapes hostile stream names in label values so the exposition still parses', async () => {
    const metrics = createSubwatchMetrics({ collectProcessMetrics: false });
    const hostile = { stream: 'a"b\\c\nd</script>', group: 'g' };
    metrics.registerSubscription(hostile);
    const text = await scrape(metrics);
    expect(sampleValue(text, 'subwatch_events_received_total', hostile)).toBe(0);
  });

  it('includes the default Node process metrics, and two registries do not share series', async () => {
    const a = createSubwatchMetrics();
    const b = createSubwatchMetrics({ collectProcessMetrics: false });
    a.recordReceived(ref, 'delivered');
    const textA = await scrape(a);
    expect(textA.types.has('process_cpu_user_seconds_total')).toBe(true);
    expect(textA.types.has('nodejs_heap_size_used_bytes')).toBe(true);
    const textB = await scrape(b);
    expect(sampleValue(textB, 'subwatch_events_received_total', ref)).toBeUndefined();
  });
});
