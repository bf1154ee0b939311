import type { SubscriptionSummary } from '@/lib/api/schemas';

/** One snapshot of one subscription, as kept client-side for the live charts and sparklines. */
export interface LiveSample {
  /** Snapshot time, ms since epoch. */
  t: number;
  ratePerSecond: number;
  inFlight: number;
  bufferSize: number;
  parked: number;
  behind: number | null;
  /** subwatch proxy counters (cumulative for the subwatch process); null when not proxied. */
  received: number | null;
  delivered: number | null;
  duplicatesSuppressed: number | null;
}

export type LiveHistory = ReadonlyMap<string, readonly LiveSample[]>;

/** Five minutes of snapshots: what the subscription page charts show. */
export const HISTORY_WINDOW_MS = 5 * 60_000;
/** Hard cap per subscription whatever the snapshot rate (1/s → 300 in the window). */
export const HISTORY_MAX_SAMPLES = 360;

export function historyKey(stream: string, group: string): string {
  return `${stream}\u0000${group}`;
}

export function toSample(t: number, s: SubscriptionSummary): LiveSample {
  return {
    t,
    ratePerSecond: s.ratePerSecond,
    inFlight: s.inFlight,
    bufferSize: s.bufferSize,
    parked: s.parked,
    behind: s.behind,
    received: s.subscriber?.received ?? null,
    delivered: s.subscriber?.delivered ?? null,
    duplicatesSuppressed: s.subscriber?.duplicatesSuppressed ?? null,
  };
}

/**
 * Appends one snapshot to the history, returning a new map (the old one is not mutated).
 * Bounded: samples older than `windowMs` before the newest, beyond `maxSamples`, and groups
 * absent from the snapshot (deleted) are dropped. A snapshot not newer than the last kept
 * sample of a group (a replayed frame) replaces nothing.
 */
export function appendSnapshot(
  history: LiveHistory,
  ts: string,
  subscriptions: readonly SubscriptionSummary[],
  { windowMs = HISTORY_WINDOW_MS, maxSamples = HISTORY_MAX_SAMPLES } = {},
): LiveHistory {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return history;
  const next = new Map<string, readonly LiveSample[]>();
  for (const s of subscriptions) {
    const key = historyKey(s.stream, s.group);
    const old = history.get(key) ?? [];
    const last = old.at(-1);
    if (last && last.t >= t) {
      next.set(key, old);
      continue;
    }
    const from = t - windowMs;
    const kept = old.filter((p) => p.t > from);
    kept.push(toSample(t, s));
    next.set(key, kept.length > maxSamples ? kept.slice(kept.length - maxSamples) : kept);
  }
  return next;
}
