/**
 * The ONE place that maps a delivery's handling outcome to what is recorded in the dedup store
 * and what is sent to the server (STYLE.md §4).
 *
 * Invariant: `ack` after a sink call is only produced together with `record: 'complete'`; the
 * subscriber sends the ack only after `complete` resolved. A failed `complete` is mapped again
 * through `store-failed`, which never acks.
 */
import { backoffDelay, type BackoffOptions } from './backoff';
import type { SinkResult } from './sink';

export type HandlingOutcome =
  /** The sink returned a result. */
  | { kind: 'sink'; result: SinkResult }
  /** The sink threw (counts as retry). */
  | { kind: 'sink-threw'; error: unknown }
  /** The key is already done (store said duplicate, or the first copy here succeeded). */
  | { kind: 'duplicate' }
  /**
   * Another instance holds the claim; its lease ends in `retryAfterMs`. `waitedMs`: how long the
   * subscriber already waited for it (checking the claim again meanwhile); counted against the
   * bounded wait.
   */
  | { kind: 'claimed-elsewhere'; retryAfterMs: number; waitedMs?: number }
  /** claim/complete failed: the key is not durably done. */
  | { kind: 'store-failed'; error: unknown }
  /** No dedup key could be derived (e.g. missing business key). */
  | { kind: 'no-key'; reason: string }
  /** An operator parked a delivery that was not delivered (DESIGN.md §7 `POST …/park`). */
  | { kind: 'operator-park'; reason: string };

/** What to do with the claim before answering the server. */
export type RecordAction = 'complete' | 'release' | 'none';

/** Counter the decision adds to, and the `onReceived` outcome. */
export type DeliveryOutcome = 'delivered' | 'duplicate' | 'retry' | 'parked';

export type AckDecision =
  | { action: 'ack'; record: RecordAction; outcome: 'delivered' | 'duplicate' }
  | { action: 'nack'; nackAction: 'retry'; reason: string; delayMs: number; record: RecordAction; outcome: 'retry' }
  | { action: 'nack'; nackAction: 'park'; reason: string; record: RecordAction; outcome: 'parked' };

export interface AckDecisionContext {
  /** Server retry count of the delivery; drives the nack-retry delay. */
  retryCount: number;
  /** Delay policy before a nack retry (no jitter: the server's 1 s tick dominates anyway). */
  retryBackoff?: BackoffOptions;
  /** Upper bound for waiting on another instance's lease before nacking. Default 5000 ms. */
  maxClaimWaitMs?: number;
}

export const DEFAULT_RETRY_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 2_000, multiplier: 2 };
/** How long a delivery whose key another instance holds is kept before it is nacked `retry`. */
export const DEFAULT_MAX_CLAIM_WAIT_MS = 5_000;

export function toAckDecision(outcome: HandlingOutcome, context: AckDecisionContext): AckDecision {
  const retryDelay = backoffDelay(context.retryCount, context.retryBackoff ?? DEFAULT_RETRY_BACKOFF);
  switch (outcome.kind) {
    case 'sink':
      switch (outcome.result.outcome) {
        case 'ok':
          return { action: 'ack', record: 'complete', outcome: 'delivered' };
        case 'retry':
          return retry(`sink asked to retry: ${outcome.result.reason}`, retryDelay, 'release');
        case 'park':
          // A parked message can be replayed later and must then reach the sink: never record it done.
          return { action: 'nack', nackAction: 'park', reason: outcome.result.reason, record: 'release', outcome: 'parked' };
      }
      break;
    case 'sink-threw':
      return retry(`sink threw: ${errorText(outcome.error)}`, retryDelay, 'release');
    case 'duplicate':
      return { action: 'ack', record: 'none', outcome: 'duplicate' };
    case 'claimed-elsewhere':
      return retry(
        'dedup key is being processed by another instance',
        Math.max(
          0,
          Math.min(Math.max(outcome.retryAfterMs, retryDelay), context.maxClaimWaitMs ?? DEFAULT_MAX_CLAIM_WAIT_MS) -
            (outcome.waitedMs ?? 0),
        ),
        'none',
      );
    case 'store-failed':
      return retry(`dedup store failed: ${errorText(outcome.error)}`, retryDelay, 'release');
    case 'operator-park':
      // The key is not done (the sink never succeeded for it): a replay must reach the sink.
      return {
        action: 'nack',
        nackAction: 'park',
        reason: `parked by operator: ${outcome.reason}`,
        record: 'release',
        outcome: 'parked',
      };
    case 'no-key':
      return { action: 'nack', nackAction: 'park', reason: outcome.reason, record: 'none', outcome: 'parked' };
  }
  throw new Error(`toAckDecision: unhandled outcome ${JSON.stringify(outcome satisfies never)}`);
}

function retry(reason: string, delayMs: number, record: RecordAction): AckDecision {
  return { action: 'nack', nackAction: 'retry', reason, delayMs, record, outcome: 'retry' };
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
