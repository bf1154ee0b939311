'use client';

import './parked.css';


import { formatExact } from '../format';
import { useHeld } from '../hooks/use-held';
import { useNow } from '../hooks/use-now';
import { useAccess } from '../hooks/use-session';
import { Card } from '../ui/card';
import { toHeldRows } from './held-rows';

/**
 * "Held by the subscriber": the deliveries this instance's subscriber of a proxied group holds
 * right now (claiming the key, in the sink, waiting for a retry), oldest first, polled every 2 s.
 * Park… hands a row's event id to the park form. Event data is rendered as text only.
 */
export function HeldList({ stream, group, onPark }: { stream: string; group: string; onPark: (eventId: string) => void }) {
  const query = useHeld(stream, group, { proxied: true });
  const { canWrite } = useAccess();
  const now = useNow(1000);
  // Recomputed every second anyway (`now` ticks), so not memoized.
  const rows = toHeldRows(query.data?.held ?? [], now);
  const total = query.data?.total ?? 0;
  return (
    <Card
      title="Held by the subscriber"
      description="Deliveries subwatch's subscriber has received and not answered yet: claiming the key, in the sink, or waiting for a retry. Oldest first, every 2 s."
      actions={
        total > rows.length ? (
          <span className="muted" data-testid="held-more">
            {formatExact(rows.length)} of {formatExact(total)} shown
          </span>
        ) : undefined
      }
      testId="held-card"
    >
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table className="table table-compact held-table" data-testid="held-table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Phase</th>
                <th scope="col" className="num">Retries</th>
                <th scope="col" className="num">Held for</th>
                <th scope="col">Last failure</th>
                <th scope="col">
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="held-row" data-event-id={r.eventId} data-phase={r.phase} data-retry-count={r.retryCount}>
                  <td className="held-event" title={`Event id ${r.eventId}`}>
                    <span className="held-type" data-testid="held-type">
                      {r.type}
                    </span>
                    <span className="mono muted held-origin" data-testid="held-origin">
                      {r.origin}
                    </span>
                    <span className="mono muted held-id" title="Event id">
                      {r.eventId}
                    </span>
                  </td>
                  <td>
                    <span className={`chip chip-${r.tone}`} data-testid="held-phase">
                      {r.phaseLabel}
                    </span>
                  </td>
                  <td className={`num${r.retryCount === 0 ? ' muted' : ''}`} data-testid="held-retries">
                    {formatExact(r.retryCount)}
                  </td>
                  <td className="num" title={`Held since ${r.since}`} data-testid="held-for">
                    {r.heldFor}
                  </td>
                  <td className="held-outcome" data-testid="held-outcome">
                    {r.lastOutcome ?? <span className="muted">—</span>}
                  </td>
                  <td className="held-action">
                    <button
                      type="button"
                      className="button button-ghost"
                      onClick={() => onPark(r.eventId)}
                      disabled={!canWrite}
                      title={canWrite ? `Fill the park form with ${r.eventId}` : 'Log in to park messages (read-only view).'}
                      data-testid="held-park"
                    >
                      Park…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted pad" data-testid="held-empty">
          {query.error
            ? `Could not read the held deliveries: ${query.error.message}`
            : query.isPending
              ? 'Loading…'
              : 'Nothing held: every delivery was acked.'}
        </p>
      )}
    </Card>
  );
}
