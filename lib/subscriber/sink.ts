/**
 * What the deduplicating subscriber hands to the consumer. A sink either resolves with a
 * SinkResult or throws; a throw counts as `retry` (see ack-decision.ts).
 */

export interface Delivery {
  /** Original event id (`event.id`, or `link.id` for an unresolved link). */
  eventId: string;
  /** Dedup key (DESIGN.md §5 `dedup.key`); also the webhook `Idempotency-Key`. */
  key: string;
  /** Stream of the original event. */
  stream: string;
  /** Revision of the original event, as a decimal string (bigint-safe). */
  revision: string;
  type: string;
  /** Parsed JSON, or a Uint8Array for binary events. */
  data: unknown;
  metadata: unknown;
  isJson: boolean;
  /** ISO-8601 creation time. */
  created: string;
  /** Server retry count of this delivery (0 does not mean first delivery). */
  retryCount: number;
  /** Epoch (connection) number this delivery arrived on. */
  epoch: number;
}

export type SinkResult =
  | { outcome: 'ok' }
  /** Transient failure: nack `retry` after a short backoff. */
  | { outcome: 'retry'; reason: string }
  /** Permanent failure: nack `park` with the reason. */
  | { outcome: 'park'; reason: string };

export type Sink = (delivery: Delivery) => Promise<SinkResult>;
