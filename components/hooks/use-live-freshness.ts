'use client';

import { toLiveFreshness, type LiveFreshness } from './live-freshness';
import { useLiveStatus } from './use-live-stream';
import { useNow } from './use-now';

/** Whether live data shown now is stale (live-freshness.ts), re-checked every second. */
export function useLiveFreshness(): LiveFreshness & { lastSnapshotAt: string | null } {
  const status = useLiveStatus();
  const now = useNow(1000);
  return { ...toLiveFreshness(status, now), lastSnapshotAt: status.lastSnapshotAt };
}
