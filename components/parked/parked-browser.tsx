'use client';

import './parked.css';

import { useMemo, useState } from 'react';

import type { SubscriberSummary } from '@/lib/api/schemas';

import { formatExact } from '../format';
import { ApiError } from '../hooks/api-client';
import { useNow } from '../hooks/use-now';
import { useParked } from '../hooks/use-parked';
import { useAccess } from '../hooks/use-session';
import { Card } from '../ui/card';
import { ParkedEntry } from './parked-entry';
import { groupParkedByReason, toReasonLabel } from './parked-groups';
import { ReplayControls, ReplayProgressNote, type WatchedReplay } from './replay-controls';
import type { ReplayCounters } from './replay-outcome';

export const PARKED_PAGE_SIZE = 50;
const WATCH_FAST_MS = 30_000;

/**
 * The parked-message browser of one group: a page of parked messages (oldest first), grouped by
 * reason, one row per original event; replay actions with confirmation and live progress.
 * `parkedLive` is the server's parked count from the live snapshot; `subscriber` the counters of
 * subwatch's subscriber of the group (absent when not proxied), for a replay's outcome.
 */
export function ParkedBrowser({
  stream,
  group,
  parkedLive,
  subscriber,
}: {
  stream: string;
  group: string;
  parkedLive: number;
  subscriber?: SubscriberSummary;
}) {
  const { canWrite, loading } = useAccess();
  const now = useNow(5000);
  const [pages, setPages] = useState<number[]>([]); // `from` of the pages before the current one
  const [from, setFrom] = useState<number | null>(null);
  const [watched, setWatched] = useState<WatchedReplay | null>(null);
  // Poll every second while a replay is fresh (the server replays asynchronously), then calm down.
  const watching = watched !== null && now - watched.startedAt < WATCH_FAST_MS;
  const parked = useParked(stream, group, { from, limit: PARKED_PAGE_SIZE, fast: watching });
  const data = parked.data;
  const groups = useMemo(() => groupParkedByReason(data?.parked ?? []), [data]);
  const window = { first: data?.first ?? null, total: data?.total ?? parkedLive };
  const counters: ReplayCounters | null = subscriber
    ? {
        received: subscriber.received,
        delivered: subscriber.delivered,
        parked: subscriber.parked,
        suppressedAsReplay: subscriber.duplicatesByCause.replay,
      }
    : null;
  const readOnlyReason = loading ? null : canWrite ? null : 'Log in to replay parked messages (read-only view).';
  // A "first N" replay needs the oldest visible parked number: no replay before the first page arrived.
  const controlsReason = readOnlyReason ?? (data ? null : 'Loading parked messages…');

  const shown = data?.parked ?? [];
  const range =
    shown.length > 0 ? `#${formatExact(shown[0]!.parkedEventNumber)}–#${formatExact(shown[shown.length - 1]!.parkedEventNumber)}` : null;

  return (
    <Card
      title="Parked messages"
      description="Messages the server parked for this group, oldest first. Replay redelivers them to the group's consumers."
      testId="parked-browser"
    >
      <div className="parked-toolbar">
        <div className="parked-summary">
          <span className="parked-total num-text" data-testid="parked-total" data-value={window.total}>
            {formatExact(window.total)}
          </span>{' '}
          parked
          {window.first !== null && window.total > 0 && <span className="muted"> · oldest is #{formatExact(window.first)}</span>}
        </div>
        <ReplayControls
          stream={stream}
          group={group}
          window={window}
          disabledReason={controlsReason}
          counters={counters}
          onStarted={(w) => setWatched(w)}
        />
      </div>
      {readOnlyReason && (
        <p className="parked-readonly muted" data-testid="parked-readonly">
          {readOnlyReason}
        </p>
      )}
      {watched && data && (
        <ReplayProgressNote
          watched={watched}
          window={window}
          parkedNow={parkedLive}
          countersNow={counters}
          watchMs={WATCH_FAST_MS}
          onDismiss={() => setWatched(null)}
        />
      )}
      {parked.error && !(parked.error instanceof ApiError && parked.error.code === 'NETWORK') && (
        <p className="action-note action-error pad" role="alert">
          Could not load parked messages: {parked.error.message}
        </p>
      )}
      {data && data.total === 0 && <p className="muted pad" data-testid="parked-empty">Nothing is parked. Messages a consumer parks, or that exceed the retry limit, appear here.</p>}
      {!data && !parked.error && <p className="muted pad">Loading parked messages…</p>}
      {groups.map((g) => {
        const label = toReasonLabel(g.reason);
        return (
          <section key={g.reason} className="parked-group" data-testid="parked-group" data-reason={label.text}>
            <header className="parked-group-header">
              <h3 className="parked-reason" data-testid="parked-reason">
                {label.text}
              </h3>
              <span className="chip chip-off" data-testid="parked-group-count">
                {formatExact(g.count)} on this page
              </span>
              <span className="muted parked-source">{label.source === 'consumer' ? 'parked by the consumer (nack)' : label.source === 'server' ? 'parked by the server' : ''}</span>
            </header>
            <div className="parked-list">
              {g.rows.map((row) => (
                <ParkedEntry key={row.key} row={row} now={now} />
              ))}
            </div>
          </section>
        );
      })}
      {data && data.total > 0 && (
        <nav className="parked-pager" aria-label="Parked pages">
          <span className="muted num-text">
            {range ? `Showing ${range} of ${formatExact(data.total)}` : `No messages from #${formatExact(from ?? 0)}`}
          </span>
          <span className="parked-pager-buttons">
            <button
              type="button"
              className="button button-ghost"
              disabled={pages.length === 0}
              onClick={() => {
                setFrom(pages.length > 1 ? pages[pages.length - 1]! : null);
                setPages(pages.slice(0, -1));
              }}
              data-testid="parked-prev"
            >
              Previous
            </button>
            <button
              type="button"
              className="button button-ghost"
              disabled={data.next === null}
              onClick={() => {
                setPages([...pages, from ?? data.first ?? 0]);
                setFrom(data.next);
              }}
              data-testid="parked-next"
            >
              Next
            </button>
          </span>
        </nav>
      )}
    </Card>
  );
}
