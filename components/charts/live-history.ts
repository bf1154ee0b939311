import { z } from 'zod';

import type { SnapshotEvent, SubscriptionSummary } from '@/lib/api/schemas';

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
    next.set(key, bounded([...old, toSample(t, s)], windowMs, maxSamples));
  }
  return next;
}

/** A sample as stored in sessionStorage (same fields; validated on the way back in). */
const storedSampleSchema = z.object({
  t: z.number(),
  ratePerSecond: z.number(),
  inFlight: z.number(),
  bufferSize: z.number(),
  parked: z.number(),
  behind: z.number().nullable(),
  received: z.number().nullable(),
  delivered: z.number().nullable(),
  duplicatesSuppressed: z.number().nullable(),
});
const storedHistorySchema = z.object({ v: z.literal(1), groups: z.array(z.tuple([z.string(), z.array(storedSampleSchema)])) });

/** The history as text for sessionStorage, so a page reload keeps the charts and sparklines. */
export function serializeHistory(history: LiveHistory): string {
  return JSON.stringify({ v: 1, groups: [...history.entries()] });
}

/**
 * The history saved by serializeHistory, keeping only samples within `windowMs` before `now`
 * (older ones would be cut at the next snapshot anyway) and at most `maxSamples` per group.
 * Anything that does not parse or match the shape gives an empty history: a cache, never an error.
 */
export function restoreHistory(
  text: string | null,
  now: number,
  { windowMs = HISTORY_WINDOW_MS, maxSamples = HISTORY_MAX_SAMPLES } = {},
): LiveHistory {
  if (!text) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return new Map();
  }
  const parsed = storedHistorySchema.safeParse(json);
  if (!parsed.success) return new Map();
  const history = new Map<string, readonly LiveSample[]>();
  for (const [key, samples] of parsed.data.groups) {
    const kept = samples.filter((p) => p.t > now - windowMs && p.t <= now).sort((a, b) => a.t - b.t).slice(-maxSamples);
    if (kept.length > 0) history.set(key, kept);
  }
  return history;
}

/**
 * Restored (older) samples in front of those received since (newer), per group: a restored
 * sample at or after a group's first received one is dropped, so time stays increasing.
 * Groups only in `older` are kept until the next snapshot drops those the server no longer has.
 */
export function mergeHistory(older: LiveHistory, newer: LiveHistory): LiveHistory {
  const merged = new Map<string, readonly LiveSample[]>(older);
  for (const [key, samples] of newer) {
    const first = samples[0]?.t ?? Infinity;
    merged.set(key, [...(older.get(key) ?? []).filter((p) => p.t < first), ...samples]);
  }
  return merged;
}

/** Window and cap of one group's samples: those within `windowMs` before its newest, at most `maxSamples`. */
function bounded(samples: LiveSample[], windowMs: number, maxSamples: number): LiveSample[] {
  const newest = samples.at(-1);
  if (!newest) return samples;
  const kept = samples.filter((p) => p.t > newest.t - windowMs);
  return kept.length > maxSamples ? kept.slice(kept.length - maxSamples) : kept;
}

/**
 * The snapshots of a `history` event (oldest first) as a history, like appending them one by one:
 * snapshots out of order or with a bad `ts` are skipped, only groups in the newest snapshot are
 * kept, and each group is bounded by the window and the sample cap.
 */
export function historyFromSnapshots(
  snapshots: readonly Pick<SnapshotEvent, 'ts' | 'subscriptions'>[],
  { windowMs = HISTORY_WINDOW_MS, maxSamples = HISTORY_MAX_SAMPLES } = {},
): LiveHistory {
  const groups = new Map<string, LiveSample[]>();
  let lastT = -Infinity;
  let newest: readonly SubscriptionSummary[] = [];
  for (const snapshot of snapshots) {
    const t = Date.parse(snapshot.ts);
    if (Number.isNaN(t) || t <= lastT) continue;
    lastT = t;
    newest = snapshot.subscriptions;
    for (const s of snapshot.subscriptions) {
      const key = historyKey(s.stream, s.group);
      const samples = groups.get(key) ?? [];
      samples.push(toSample(t, s));
      groups.set(key, samples);
    }
  }
  const history = new Map<string, readonly LiveSample[]>();
  for (const s of newest) {
    const key = historyKey(s.stream, s.group);
    history.set(key, bounded(groups.get(key) ?? [], windowMs, maxSamples));
  }
  return history;
}

/**
 * Both histories in one, per group: every sample of either, one per time `t` (the `incoming` one
 * on a tie: both came from the same server snapshot), oldest first, bounded by the window before
 * the group's newest sample and the sample cap. For the server's `history` event, which a
 * reconnecting EventSource gets again: merging it twice adds nothing.
 */
export function mergeHistoryByTime(
  current: LiveHistory,
  incoming: LiveHistory,
  { windowMs = HISTORY_WINDOW_MS, maxSamples = HISTORY_MAX_SAMPLES } = {},
): LiveHistory {
  const merged = new Map<string, readonly LiveSample[]>(current);
  for (const [key, samples] of incoming) {
    const byTime = new Map<number, LiveSample>();
    for (const p of current.get(key) ?? []) byTime.set(p.t, p);
    for (const p of samples) byTime.set(p.t, p);
    const all = [...byTime.values()].sort((a, b) => a.t - b.t);
    merged.set(key, bounded(all, windowMs, maxSamples));
  }
  return merged;
}
