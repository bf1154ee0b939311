'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';

import { RequireRead } from '@/components/auth/require-read';
import { formatClock } from '@/components/format';
import { isNetworkError } from '@/components/hooks/api-client';
import { useInstances } from '@/components/hooks/use-instances';
import { useLiveFreshness } from '@/components/hooks/use-live-freshness';
import { useLiveStatus } from '@/components/hooks/use-live-stream';
import { useSubscriptions } from '@/components/hooks/use-subscriptions';
import { describeInstances } from '@/components/instances/group-instances';
import { LiveBanner } from '@/components/layout/live-banner';
import { StaleMark } from '@/components/layout/stale-mark';
import { SubscriptionsTable } from '@/components/subscriptions/subscriptions-table';
import {
  applyView,
  defaultDir,
  DEFAULT_VIEW,
  type HealthFilter,
  type OverviewView,
  type SortKey,
} from '@/components/subscriptions/subscriptions-view';
import { Banner } from '@/components/ui/banner';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { SubscriptionSummary } from '@/lib/api/schemas';

import { parseOverviewParams, serializeOverviewParams } from './search-params';

function PageHeading({ subtitle, staleMark }: { subtitle?: string; staleMark?: ReactNode }) {
  return (
    <div className="page-heading">
      <h1 className="title-with-badge">
        <span className="title-text">Persistent subscriptions</span>
        {staleMark}
      </h1>
      <p className="muted" aria-live="off">
        {subtitle ?? '\u00a0'}
      </p>
    </div>
  );
}

const HEALTH_OPTIONS: { value: HealthFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'problems', label: 'Problems' },
  { value: 'healthy', label: 'Healthy' },
];

function Toolbar({
  view,
  onChange,
  subscriptions,
  shown,
}: {
  view: OverviewView;
  onChange: (patch: Partial<OverviewView>) => void;
  subscriptions: SubscriptionSummary[];
  shown: number;
}) {
  const problems = subscriptions.filter((s) => s.health.level !== 'healthy').length;
  const counts: Record<HealthFilter, number> = { all: subscriptions.length, problems, healthy: subscriptions.length - problems };
  const filtered = view.q.trim() !== '' || view.health !== 'all';
  return (
    <div className="toolbar" data-testid="overview-toolbar">
      <input
        type="search"
        className="input toolbar-search"
        placeholder="Filter by stream or group"
        aria-label="Filter by stream or group"
        value={view.q}
        maxLength={200}
        onChange={(event) => onChange({ q: event.target.value })}
        data-testid="overview-filter"
      />
      <div className="segmented" role="group" aria-label="Health">
        {HEALTH_OPTIONS.map((option) => (
          <button
            key={option.value}
            type="button"
            className="segmented-item"
            aria-pressed={view.health === option.value}
            onClick={() => onChange({ health: option.value })}
            data-testid={`health-filter-${option.value}`}
          >
            {option.label}
            <span className={`segmented-count${option.value === 'problems' && problems > 0 ? ' segmented-count-bad' : ''}`}>{counts[option.value]}</span>
          </button>
        ))}
      </div>
      <p className="muted toolbar-note" aria-live="polite" data-testid="overview-shown">
        {filtered ? `${shown} of ${subscriptions.length} shown` : '\u00a0'}
      </p>
    </div>
  );
}

/** The overview's sort and filters: read once from the URL, written back (replaceState) so a link shares the view. */
function useOverviewView(): [OverviewView, (patch: Partial<OverviewView>) => void, (key: SortKey) => void] {
  const searchParams = useSearchParams();
  const [view, setView] = useState<OverviewView>(() => parseOverviewParams(searchParams));

  useEffect(() => {
    const query = serializeOverviewParams(view);
    const url = `${window.location.pathname}${query}${window.location.hash}`;
    if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) window.history.replaceState(null, '', url);
  }, [view]);

  const update = useCallback((patch: Partial<OverviewView>) => setView((v) => ({ ...v, ...patch })), []);
  const sortBy = useCallback(
    (key: SortKey) =>
      setView((v) => ({ ...v, sort: key, dir: v.sort === key ? (v.dir === 'asc' ? 'desc' : 'asc') : key === DEFAULT_VIEW.sort ? DEFAULT_VIEW.dir : defaultDir(key) })),
    [],
  );
  return [view, update, sortBy];
}

function Overview() {
  const { data, error, isPending, dataUpdatedAt } = useSubscriptions();
  const live = useLiveStatus();
  const freshness = useLiveFreshness();
  const staleMark = freshness.reason && data && (
    <StaleMark reason={freshness.reason} asOf={dataUpdatedAt} note="Numbers are polled every few seconds meanwhile; sparklines pause." />
  );
  const [view, update, sortBy] = useOverviewView();
  const subscriptions = useMemo(() => data?.subscriptions ?? [], [data]);
  const rows = useMemo(() => applyView(subscriptions, view), [subscriptions, view]);
  const proxied = subscriptions.filter((s) => s.proxied).length;
  const instances = useInstances();
  const onInstances = instances.data ? describeInstances(instances.data.instances) : null;
  const subtitle = data
    ? `${subscriptions.length} group${subscriptions.length === 1 ? '' : 's'} on the server, ${proxied} proxied by subwatch${
        onInstances ? ` (${onInstances})` : ''
      }${live.lastSnapshotAt ? ` · updated ${formatClock(live.lastSnapshotAt)}` : ''}`
    : undefined;

  return (
    <>
      <PageHeading subtitle={subtitle} staleMark={staleMark} />
      <LiveBanner fetchError={error} />
      {error && !isNetworkError(error) && <Banner tone="error">Could not load subscriptions: {error.message}</Banner>}
      <Card>
        {!isPending && subscriptions.length === 0 && !error ? (
          <EmptyState title="No persistent subscriptions yet">
            <p>
              Groups appear here as soon as they exist on the server — create one with your client, or list it under{' '}
              <code>proxies</code> in <code>subwatch.config.json</code> with <code>createIfMissing</code>.
            </p>
          </EmptyState>
        ) : (
          <>
            <Toolbar view={view} onChange={update} subscriptions={subscriptions} shown={rows.length} />
            <SubscriptionsTable
              stale={freshness.stale}
              subscriptions={rows}
              loading={isPending && !data}
              sort={{ key: view.sort, dir: view.dir, onSort: sortBy }}
              empty={
                <span className="muted" data-testid="overview-no-match">
                  No subscription matches these filters.{' '}
                  <button type="button" className="link-button" onClick={() => update({ q: '', health: 'all' })}>
                    Clear filters
                  </button>
                </span>
              }
            />
          </>
        )}
      </Card>
    </>
  );
}

export function OverviewFallback() {
  return (
    <>
      <PageHeading />
      <Card>
        <SubscriptionsTable subscriptions={[]} loading />
      </Card>
    </>
  );
}

export function OverviewClient() {
  return (
    <RequireRead fallback={<OverviewFallback />}>
      <Overview />
    </RequireRead>
  );
}
