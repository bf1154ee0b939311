'use client';

import type { StaleReason } from '../hooks/live-freshness';
import { formatClock } from '../format';

const WHY: Record<StaleReason, string> = {
  disconnected: 'Live updates are disconnected; reconnecting.',
  'no-snapshots': 'No live snapshot arrived for several seconds.',
};

/**
 * The mark on live charts and numbers while they are stale: "Stale · as of 17:42:05". `asOf` is
 * when the shown data was last updated (ISO or ms), null when nothing was received yet.
 */
export function StaleMark({ reason, asOf, note }: { reason: StaleReason; asOf: string | number | null; note?: string }) {
  const at = asOf === null ? null : typeof asOf === 'number' ? new Date(asOf).toISOString() : asOf;
  return (
    <span className="chip chip-warn stale-mark" role="status" data-testid="stale-mark" title={`${WHY[reason]}${note ? ` ${note}` : ''}`}>
      Stale{at ? ` · as of ${formatClock(at)}` : ''}
    </span>
  );
}
