/**
 * The demo's second consumer: a fraud check on `demo-orders` that parks orders it will not
 * approve automatically — amounts above a limit and customer notes containing markup — so a
 * fresh demo has parked messages to browse and replay. A parked order that comes back (an
 * operator replayed it) counts as reviewed and is approved.
 */
import type { Sink, SinkResult } from '../../lib/subscriber/sink';

export const FRAUD_CHECK_GROUP = 'demo-fraud-check';
export const MARKUP_REASON = 'Customer note contains markup; held for manual review';

export function amountReason(limitCents: number): string {
  return `Amount above the fraud-check limit of ${(limitCents / 100).toFixed(2)} EUR`;
}

export interface FraudCheck {
  sink: Sink;
  stats(): { checked: number; parked: number; approvedAfterReview: number };
}

export function createFraudCheck(options: { limitCents?: number } = {}): FraudCheck {
  const limitCents = options.limitCents ?? 70_000;
  /** Ids parked by this process: their next delivery is a replay after review. */
  const parkedIds = new Set<string>();
  const counts = { checked: 0, parked: 0, approvedAfterReview: 0 };

  function verdict(type: string, data: unknown): string | null {
    if (type !== 'OrderPlaced' || typeof data !== 'object' || data === null) return null;
    const { note, amountCents } = data as { note?: unknown; amountCents?: unknown };
    if (typeof note === 'string' && /[<>]/.test(note)) return MARKUP_REASON;
    if (typeof amountCents === 'number' && amountCents > limitCents) return amountReason(limitCents);
    return null;
  }

  return {
    sink: async (delivery): Promise<SinkResult> => {
      await Promise.resolve();
      counts.checked += 1;
      if (parkedIds.delete(delivery.eventId)) {
        counts.approvedAfterReview += 1;
        return { outcome: 'ok' };
      }
      const reason = verdict(delivery.type, delivery.data);
      if (reason === null) return { outcome: 'ok' };
      parkedIds.add(delivery.eventId);
      counts.parked += 1;
      return { outcome: 'park', reason };
    },
    stats: () => ({ ...counts }),
  };
}
