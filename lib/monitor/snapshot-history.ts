/**
 * The last minutes of monitor snapshots, kept by the process that publishes them so a dashboard
 * opened after an incident gets the recent past with its first `/api/live` frame (`history`,
 * DESIGN.md §8) instead of charts that start empty.
 *
 * Bounded three ways, oldest dropped first: the time window before the newest snapshot, a number
 * of snapshots (one per second → 300 in five minutes), and a total number of subscription rows
 * over all kept snapshots, so many groups shorten the history instead of growing memory and the
 * connect payload (a proxied row with health reasons is ~0.6 KB as JSON: the defaults cap the
 * history at ~3.5 MB; a plain row is ~0.25 KB).
 */
import type { SnapshotEvent } from '../api/schemas';

/** What the subscription page charts show. */
export const SNAPSHOT_HISTORY_WINDOW_MS = 5 * 60_000;
/** One snapshot a second over the window. */
export const SNAPSHOT_HISTORY_MAX_SNAPSHOTS = 300;
/** 20 groups for the whole window; 200 groups keep the last 30 s. */
export const SNAPSHOT_HISTORY_MAX_ROWS = 6_000;

export interface SnapshotHistoryOptions {
  windowMs?: number;
  maxSnapshots?: number;
  maxRows?: number;
}

export interface SnapshotHistory {
  /** Appends the newest snapshot; one not newer than the last kept one (or with a bad ts) is ignored. */
  push(snapshot: SnapshotEvent): void;
  /** The kept snapshots, oldest first (a copy). */
  list(): SnapshotEvent[];
  readonly size: number;
  /** Subscription rows over all kept snapshots. */
  readonly rows: number;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

export function createSnapshotHistory(options: SnapshotHistoryOptions = {}): SnapshotHistory {
  const windowMs = positiveInteger('windowMs', options.windowMs ?? SNAPSHOT_HISTORY_WINDOW_MS);
  const maxSnapshots = positiveInteger('maxSnapshots', options.maxSnapshots ?? SNAPSHOT_HISTORY_MAX_SNAPSHOTS);
  const maxRows = positiveInteger('maxRows', options.maxRows ?? SNAPSHOT_HISTORY_MAX_ROWS);
  // A plain array: at most maxSnapshots (300) entries, so shifting the oldest costs nothing measurable.
  const kept: Array<{ t: number; snapshot: SnapshotEvent }> = [];
  let rows = 0;

  function dropOldest(): void {
    const oldest = kept.shift();
    if (oldest) rows -= oldest.snapshot.subscriptions.length;
  }

  return {
    push(snapshot) {
      const t = Date.parse(snapshot.ts);
      if (Number.isNaN(t)) return;
      const last = kept.at(-1);
      if (last && last.t >= t) return;
      kept.push({ t, snapshot });
      rows += snapshot.subscriptions.length;
      while (kept.length > 0 && kept[0]!.t <= t - windowMs) dropOldest();
      while (kept.length > maxSnapshots) dropOldest();
      // The newest snapshot stays even when it alone has more rows than the bound.
      while (kept.length > 1 && rows > maxRows) dropOldest();
    },
    list: () => kept.map((k) => k.snapshot),
    get size() {
      return kept.length;
    },
    get rows() {
      return rows;
    },
  };
}
