/**
 * In-process handler sink: the webhook contract (DESIGN.md §6) for Node code that handles events
 * itself. The handler gets the delivery (its `key` plays the role of the webhook's
 * Idempotency-Key) and answers like a webhook would:
 * - returns normally (any value that is not a SinkResult) → ok: the key is recorded done, then acked;
 * - returns `retry(reason)` or throws → nack `retry` after the subscriber's short backoff (the
 *   server parks the event after `maxRetryCount`);
 * - returns `park(reason)` → nack `park` at once (a permanent failure: a bad event).
 *
 * The subscriber never calls the handler twice at once for one key; after a crash between the
 * handler's success and the key being recorded, the same key can come once more — make the
 * handler's effect idempotent on `delivery.key` if that matters.
 */
import type { Delivery, Sink, SinkResult } from './sink';

/** What a handler may return; anything other than a SinkResult counts as ok. */
export type EventHandler = (delivery: Delivery) => unknown;

/** A SinkResult asking for a nack `retry` (transient failure). */
export const retry = (reason: string): SinkResult => ({ outcome: 'retry', reason });
/** A SinkResult asking for a nack `park` (permanent failure; replayable from the parked stream). */
export const park = (reason: string): SinkResult => ({ outcome: 'park', reason });

/**
 * Wraps an in-process handler as a Sink (mapping in the file comment).
 * @throws Error when `handler` is not a function.
 */
export function createHandlerSink(handler: EventHandler): Sink {
  if (typeof handler !== 'function') throw new Error('createHandlerSink: pass a function (delivery) => …');
  return async function handlerSink(delivery: Delivery): Promise<SinkResult> {
    let result: unknown;
    try {
      result = await handler(delivery);
    } catch (error) {
      // Mapped: a throw is a transient failure, like a 5xx from a webhook.
      return retry(`handler threw: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
    return isSinkResult(result) ? result : { outcome: 'ok' };
  };
}

function isSinkResult(value: unknown): value is SinkResult {
  if (value === null || typeof value !== 'object') return false;
  const { outcome, reason } = value as { outcome?: unknown; reason?: unknown };
  if (outcome === 'ok') return true;
  return (outcome === 'retry' || outcome === 'park') && typeof reason === 'string';
}
