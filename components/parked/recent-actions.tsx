'use client';

import { formatClock } from '../format';
import { useLiveStatus } from '../hooks/use-live-stream';

/** Park / replay / reconnect outcomes of this group pushed over the live stream since the page opened. */
export function RecentActions({ stream, group }: { stream: string; group: string }) {
  const { recentActions } = useLiveStatus();
  const mine = recentActions.filter((a) => a.stream === stream && a.group === group).slice(0, 8);
  if (mine.length === 0) return <p className="muted pad">No actions since this page was opened.</p>;
  return (
    <ul className="recent-actions" data-testid="recent-actions">
      {mine.map((a) => (
        <li key={`${a.at}-${a.action}-${a.message}`} data-testid="recent-action">
          <span className="muted num-text">{formatClock(a.at)}</span>
          <span className={`chip ${a.ok ? 'chip-ok' : 'chip-warn'}`}>
            {a.action}
            {a.ok ? '' : ' · refused'}
          </span>
          <span className="recent-action-message">{a.message}</span>
        </li>
      ))}
    </ul>
  );
}
