import type { LiveState } from './use-live-stream';

/** The server sends a snapshot every second; this long without one, shown data is stale. */
export const STALE_AFTER_MS = 5000;

export type StaleReason = 'disconnected' | 'no-snapshots';

export interface LiveFreshness {
  stale: boolean;
  /** `disconnected`: the live stream is down and reconnecting; `no-snapshots`: it is up but silent. */
  reason: StaleReason | null;
}

/**
 * Pure: is what the live stream fed (charts, live numbers) stale at `now`? Not while the stream is
 * off (`idle`: nothing live is shown) or opening for the first time (nothing received yet: loading).
 */
export function toLiveFreshness(
  status: { state: LiveState; lastSnapshotAt: string | null },
  now: number,
  staleAfterMs = STALE_AFTER_MS,
): LiveFreshness {
  if (status.state === 'reconnecting') return { stale: true, reason: 'disconnected' };
  if (status.state === 'open' && status.lastSnapshotAt !== null) {
    const at = Date.parse(status.lastSnapshotAt);
    if (Number.isFinite(at) && now - at > staleAfterMs) return { stale: true, reason: 'no-snapshots' };
  }
  return { stale: false, reason: null };
}
