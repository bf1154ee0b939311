/**
 * The deliveries a subscriber holds right now (received, not yet answered), as the operator sees
 * them: `GET …/held` and the "Held by the subscriber" list, from which a stuck one is parked.
 *
 * The subscriber keeps one HeldCopy per delivery it handles; a copy's failure reason and the time
 * its event started being held are carried over to the next copy the server sends after a nack
 * `retry` (RetryMemory), so a message the sink keeps failing reads as "held 3 min, retry 40"
 * rather than as a new delivery every retry cycle.
 */
import { HELD_LIST_LIMIT, type HeldDelivery, type HeldPhase, type HeldResponse } from '../api/schemas';

/** What the subscriber knows about one delivery it holds. */
export interface HeldCopy {
  eventId: string;
  key: string;
  stream: string;
  revision: string;
  type: string;
  retryCount: number;
  epoch: number;
  since: Date;
  phase: HeldPhase;
  lastOutcome: string | undefined;
}

/**
 * Oldest first (by `since`; event id, then retry count break ties so the order is stable between
 * polls), at most `limit`; `total` counts all.
 */
export function toHeldDeliveries(copies: Iterable<HeldCopy>, limit: number = HELD_LIST_LIMIT): HeldResponse {
  const all = [...copies].sort(
    (a, b) => a.since.getTime() - b.since.getTime() || compareText(a.eventId, b.eventId) || a.retryCount - b.retryCount,
  );
  return { held: all.slice(0, Math.max(0, limit)).map(toHeldDelivery), total: all.length };
}

function toHeldDelivery(copy: HeldCopy): HeldDelivery {
  return {
    eventId: copy.eventId,
    key: copy.key,
    stream: copy.stream,
    revision: copy.revision,
    type: copy.type,
    retryCount: copy.retryCount,
    epoch: copy.epoch,
    since: copy.since.toISOString(),
    phase: copy.phase,
    ...(copy.lastOutcome === undefined ? {} : { lastOutcome: copy.lastOutcome }),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What a copy nacked `retry` leaves behind: listed (phase `waiting-retry`) until the server's
 * redelivery arrives, and handed to that next copy (its start and failure reason).
 */
export type RetryTrace = Omit<HeldCopy, 'phase' | 'lastOutcome'> & { lastOutcome: string };

export interface RetryMemory {
  /** A copy was nacked `retry` at `at`. */
  remember(trace: RetryTrace, at: Date): void;
  /** The trace of `eventId` when it was nacked `retry` at most `withinMs` (default: the gap) before `at`. */
  recall(eventId: string, at: Date, withinMs?: number): RetryTrace | undefined;
  /** Every trace nacked at most `withinMs` before `at`: redeliveries still on their way. */
  awaiting(at: Date, withinMs: number): RetryTrace[];
  /** The event was answered for good (acked or parked): the next copy starts anew. */
  forget(eventId: string): void;
}

/**
 * Bounded (the oldest entries are dropped beyond `capacity`): an event the server parks by itself
 * after `maxRetryCount` is never answered here, so its entry is only ever evicted or outlived
 * (`gapMs`: a copy arriving later, e.g. replayed from the parked stream, starts anew).
 */
export function createRetryMemory({ capacity = 1000, gapMs = 60_000 }: { capacity?: number; gapMs?: number } = {}): RetryMemory {
  const entries = new Map<string, { trace: RetryTrace; at: number }>();
  return {
    remember(trace, at) {
      entries.delete(trace.eventId); // re-inserted: the most recent entries are evicted last
      entries.set(trace.eventId, { trace, at: at.getTime() });
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    recall(eventId, at, withinMs = gapMs) {
      const entry = entries.get(eventId);
      if (!entry) return undefined;
      if (at.getTime() - entry.at > gapMs) entries.delete(eventId);
      return at.getTime() - entry.at <= Math.min(withinMs, gapMs) ? entry.trace : undefined;
    },
    awaiting(at, withinMs) {
      const since = at.getTime() - withinMs;
      return [...entries.values()].filter((entry) => entry.at >= since).map((entry) => entry.trace);
    },
    forget(eventId) {
      entries.delete(eventId);
    },
  };
}
