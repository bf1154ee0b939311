'use client';

import { useLiveStatus } from '../hooks/use-live-stream';

const LABEL = { idle: 'Offline', connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…' } as const;

/** Small dot in the header: is the `/api/live` stream up? */
export function LiveIndicator() {
  const { state } = useLiveStatus();
  if (state === 'idle') return null;
  return (
    <span className={`live live-${state}`} data-testid="live-indicator" data-state={state} title="Live updates (Server-Sent Events)">
      <span className="live-dot" aria-hidden="true" />
      {LABEL[state]}
    </span>
  );
}
