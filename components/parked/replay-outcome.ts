/**
 * What a replay did, in one line, from what the page already has: the server's parked count and
 * (for a group subwatch proxies) the subscriber's counters, both as deltas since the server
 * accepted the replay. Pure; the counters come from the live summary.
 */
import { formatExact } from '../format';

/** The subscriber counters a replay moves (summary `subscriber.*`). */
export interface ReplayCounters {
  received: number;
  delivered: number;
  parked: number;
  /** `duplicatesByCause.replay`: a replayed message whose dedup key was already done. */
  suppressedAsReplay: number;
}

export interface ReplayOutcome {
  requested: number;
  parkedBefore: number;
  parkedNow: number;
  /** Null for a group subwatch does not proxy: its deliveries happen in other consumers. */
  subscriber: {
    delivered: number;
    parked: number;
    suppressed: number;
    /** Events the subscriber received meanwhile beyond the replayed ones (new traffic); 0 when none. */
    others: number;
  } | null;
  text: string;
}

/** How long after the server shows the replay done the subscriber's counters keep being counted. */
export const OUTCOME_SETTLE_MS = 2000;

/**
 * When the outcome stops changing: the server shows the replay done, the subscriber (if proxied)
 * has received at least as many events as were replayed, and `settleMs` passed since it was done
 * (the counters arrive with the 1 s snapshots) — or the watch window ended. A short count keeps
 * the new traffic mixed into the deltas small on a busy group.
 */
export function isReplayOutcomeSettled(input: {
  replayed: number;
  doneForMs: number | null;
  elapsedMs: number;
  watchMs: number;
  countersBefore: ReplayCounters | null;
  countersNow: ReplayCounters | null;
  settleMs?: number;
}): boolean {
  if (input.elapsedMs >= input.watchMs) return true;
  if (input.doneForMs === null || input.doneForMs < (input.settleMs ?? OUTCOME_SETTLE_MS)) return false;
  const { countersBefore, countersNow } = input;
  if (!countersBefore || !countersNow) return true;
  return delta(countersNow.received, countersBefore.received) >= input.replayed;
}

export function sameReplayCounters(a: ReplayCounters | null, b: ReplayCounters | null): boolean {
  if (a === null || b === null) return a === b;
  return a.received === b.received && a.delivered === b.delivered && a.parked === b.parked && a.suppressedAsReplay === b.suppressedAsReplay;
}

function delta(now: number, before: number): number {
  // Why the floor: a subscriber restart resets its totals; a negative delta would be nonsense.
  return Math.max(0, now - before);
}

/**
 * Rules:
 * - server part: `parked <before> → <now>` (the server's count when the replay was accepted and now);
 * - proxied: `subwatch delivered Δdelivered, parked again Δparked, suppressed Δreplay as already
 *   processed`; when the subscriber received more events than were replayed (`Δreceived − replayed`
 *   > 0) the counts include that new traffic: the line says how many other events and "parked"
 *   drops the "again";
 * - not proxied (no counters): the server's change only, and that other consumers get the deliveries.
 */
export function toReplayOutcome(input: {
  requested: number;
  replayed: number;
  parkedBefore: number;
  parkedNow: number;
  countersBefore: ReplayCounters | null;
  countersNow: ReplayCounters | null;
}): ReplayOutcome {
  const { requested, replayed, parkedBefore, parkedNow, countersBefore, countersNow } = input;
  const head = `Replay of ${formatExact(requested)}: parked ${formatExact(parkedBefore)} → ${formatExact(parkedNow)}`;
  if (!countersBefore || !countersNow) {
    return {
      requested,
      parkedBefore,
      parkedNow,
      subscriber: null,
      text: `${head} on the server · subwatch does not proxy this group: the group's own consumers get the redeliveries.`,
    };
  }
  const subscriber = {
    delivered: delta(countersNow.delivered, countersBefore.delivered),
    parked: delta(countersNow.parked, countersBefore.parked),
    suppressed: delta(countersNow.suppressedAsReplay, countersBefore.suppressedAsReplay),
    others: Math.max(0, delta(countersNow.received, countersBefore.received) - replayed),
  };
  const others =
    subscriber.others > 0
      ? ` (delivered and parked include ${formatExact(subscriber.others)} other event${subscriber.others === 1 ? '' : 's'} received meanwhile)`
      : '';
  return {
    requested,
    parkedBefore,
    parkedNow,
    subscriber,
    // "again" only when every counted event was a replayed one.
    text: `${head} · subwatch delivered ${formatExact(subscriber.delivered)}, ${subscriber.others > 0 ? 'parked' : 'parked again'} ${formatExact(subscriber.parked)}, suppressed ${formatExact(subscriber.suppressed)} as already processed${others}`,
  };
}
