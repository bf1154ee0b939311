/**
 * Prometheus metrics of DESIGN.md §9 on a dedicated prom-client Registry (never the global one:
 * tests and a second runtime in the same process each get their own, and nothing a dependency
 * registers globally leaks into `/api/metrics`).
 *
 * Sources: counters move with the subscriber hooks (one `recordReceived` per received delivery,
 * one `recordReconnect` per connection after the first), the sink histogram with each sink call,
 * and the gauges are replaced as a whole by every monitor snapshot, so a group deleted on the
 * server disappears from the gauges with the next poll.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { HealthLevel, SnapshotEvent } from '../api/schemas';
import type { DeliveryOutcome } from '../subscriber/ack-decision';

export interface MetricsRef {
  stream: string;
  group: string;
}

export interface SubwatchMetrics {
  /** The Prometheus text exposition of every metric (default process metrics included). */
  render(): Promise<{ contentType: string; body: string }>;
  /** Creates the counter series of a proxied group at 0, so alerts see it before its first event. */
  registerSubscription(ref: MetricsRef): void;
  /** Replaces the gauges with the rows of one monitor snapshot. */
  recordSnapshot(snapshot: SnapshotEvent): void;
  /** One received delivery and how it ended (the subscriber's `onReceived` outcome). */
  recordReceived(ref: MetricsRef, outcome: DeliveryOutcome): void;
  /** A connection (epoch) opened after the first one of this subscriber. */
  recordReconnect(ref: MetricsRef): void;
  /** One sink call: its duration, and whether it failed (retry/park result or a throw). */
  recordSinkCall(ref: MetricsRef, seconds: number, failed: boolean): void;
}

/** `subwatch_subscription_health` values (DESIGN.md §9): 0 healthy, 1 degraded, 2 failing. */
export const HEALTH_VALUE: Readonly<Record<HealthLevel, number>> = { healthy: 0, degraded: 1, failing: 2 };

const LABELS = ['stream', 'group'] as const;

/** Sink calls are HTTP requests or in-process handlers: 1 ms … 10 s covers both and the webhook timeout. */
const SINK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createSubwatchMetrics(options: { collectProcessMetrics?: boolean } = {}): SubwatchMetrics {
  const registry = new Registry();
  if (options.collectProcessMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const counter = (name: string, help: string) => new Counter({ name, help, labelNames: LABELS, registers });
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames: LABELS, registers });

  const received = counter('subwatch_events_received_total', 'Deliveries received from the server (redeliveries included).');
  const delivered = counter('subwatch_events_delivered_total', 'Deliveries the sink accepted and that were acked.');
  const duplicates = counter(
    'subwatch_duplicates_suppressed_total',
    'Redeliveries of already processed events acked without calling the sink.',
  );
  const reconnects = counter('subwatch_reconnects_total', 'Connections (epochs) opened after the first one of a subscriber.');
  const sinkFailures = counter('subwatch_sink_failures_total', 'Sink calls that asked for a retry or a park, or threw.');

  const parked = gauge('subwatch_parked_messages', 'Messages in the parked stream of the group (server view).');
  const inFlight = gauge('subwatch_in_flight_messages', 'Messages delivered to consumers and not yet acked (server view).');
  const behind = gauge('subwatch_behind_events', 'Events between the last checkpoint and the last known event.');
  const health = gauge('subwatch_subscription_health', 'Health of the group: 0 healthy, 1 degraded, 2 failing.');
  // Not in DESIGN.md §9: lets an alert name "subscriber not live" directly (proxied groups only).
  const subscriberLive = gauge('subwatch_subscriber_live', 'Proxied groups: 1 while the subscriber is live, 0 otherwise.');

  const sinkDuration = new Histogram({
    name: 'subwatch_sink_duration_seconds',
    help: 'Duration of sink calls (webhook or in-process handler).',
    labelNames: LABELS,
    buckets: SINK_BUCKETS,
    registers,
  });

  const labels = (ref: MetricsRef) => ({ stream: ref.stream, group: ref.group });

  return {
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
    registerSubscription(ref) {
      for (const c of [received, delivered, duplicates, reconnects, sinkFailures]) c.inc(labels(ref), 0);
    },
    recordSnapshot(snapshot) {
      // Reset then set synchronously: a scrape never sees a half-replaced set.
      for (const g of [parked, inFlight, behind, health, subscriberLive]) g.reset();
      for (const row of snapshot.subscriptions) {
        const l = labels(row);
        parked.set(l, row.parked);
        inFlight.set(l, row.inFlight);
        // Unknown (e.g. $all groups without a stream position) stays absent rather than a fake 0.
        if (row.behind !== null) behind.set(l, row.behind);
        health.set(l, HEALTH_VALUE[row.health.level]);
        if (row.subscriber) subscriberLive.set(l, row.subscriber.state === 'live' ? 1 : 0);
      }
    },
    recordReceived(ref, outcome) {
      const l = labels(ref);
      received.inc(l);
      if (outcome === 'delivered') delivered.inc(l);
      else if (outcome === 'duplicate') duplicates.inc(l);
    },
    recordReconnect(ref) {
      reconnects.inc(labels(ref));
    },
    recordSinkCall(ref, seconds, failed) {
      const l = labels(ref);
      sinkDuration.observe(l, seconds);
      if (failed) sinkFailures.inc(l);
    },
  };
}
