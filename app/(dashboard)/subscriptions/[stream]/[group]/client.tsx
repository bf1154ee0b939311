'use client';

import Link from 'next/link';
import { useMemo, useState, type ReactNode } from 'react';

import { RequireRead } from '@/components/auth/require-read';
import { ChartBarDuplicates } from '@/components/charts/chart-bar-duplicates';
import { describeDuplicatesChart, toDuplicatesSeries } from '@/components/charts/duplicates-series';
import { LiveCharts } from '@/components/charts/live-charts';
import { ReconnectTimeline } from '@/components/charts/reconnect-timeline';
import { toReconnectTimeline } from '@/components/charts/reconnect-timeline-series';
import { EpochsTable } from '@/components/epochs/epochs-table';
import { formatCount, formatExact, formatPosition, formatRate } from '@/components/format';
import { ApiError } from '@/components/hooks/api-client';
import { useEpochs } from '@/components/hooks/use-epochs';
import { useLiveFreshness } from '@/components/hooks/use-live-freshness';
import { useNow } from '@/components/hooks/use-now';
import { useSubscription } from '@/components/hooks/use-subscription';
import { LiveBanner } from '@/components/layout/live-banner';
import { StaleMark } from '@/components/layout/stale-mark';
import { HeldList } from '@/components/parked/held-list';
import { ParkForm } from '@/components/parked/park-form';
import { ParkedBrowser } from '@/components/parked/parked-browser';
import { RecentActions } from '@/components/parked/recent-actions';
import { InstancesCard } from '@/components/instances/instances-card';
import { ConnectionsTable } from '@/components/subscriptions/connections-table';
import { HealthBadge } from '@/components/subscriptions/health-badge';
import { ReconnectButton } from '@/components/subscriptions/reconnect-button';
import { SettingsList } from '@/components/subscriptions/settings-list';
import { SubscriberCondition, SubscriberStateChip } from '@/components/subscriptions/subscriber-state';
import { Banner } from '@/components/ui/banner';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Stat } from '@/components/ui/stat';
import type { SubscriptionDetail } from '@/lib/api/schemas';

type Props = { stream: string; group: string };

function Heading({ stream, group, detail, staleMark }: Props & { detail?: SubscriptionDetail; staleMark?: ReactNode }) {
  const summary = detail?.summary;
  return (
    <div className="page-heading page-heading-split">
      <div>
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <Link href="/">Subscriptions</Link>
          <span aria-hidden="true"> / </span>
          <span className="breadcrumb-current">{stream}</span>
        </nav>
        {/* The heading's accessible name is the group alone: health and staleness sit beside it, each with its own text. */}
        <div className="title-with-badge" data-testid="title-row">
          <h1 className="title-text" data-testid="subscription-title">
            {group}
          </h1>
          {summary && <HealthBadge health={summary.health} />}
          {staleMark}
        </div>
        <p className="muted">
          Group <strong className="text">{group}</strong> on stream <strong className="text mono">{stream}</strong>
          {summary && !summary.proxied && ' · not proxied by subwatch (server stats only)'}
        </p>
      </div>
      {summary && <ReconnectButton stream={stream} group={group} proxied={summary.proxied} />}
    </div>
  );
}

function Reasons({ detail }: { detail: SubscriptionDetail }) {
  const { level, reasons } = detail.summary.health;
  if (level === 'healthy' || reasons.length === 0) return null;
  return (
    <Banner tone={level === 'failing' ? 'error' : 'warning'} testId="health-reasons">
      <strong>{level === 'failing' ? 'Failing' : 'Degraded'}:</strong>
      <ul className="reasons">
        {reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </Banner>
  );
}

function Counters({ detail, openEpochDuplicates, stale }: { detail: SubscriptionDetail; openEpochDuplicates: number | null; stale: boolean }) {
  const sub = detail.summary.subscriber;
  if (!sub) return null;
  return (
    <div className={`stats-row${stale ? ' is-stale' : ''}`} data-testid="proxy-counters" data-stale={stale}>
      <Stat label="Received" value={formatExact(sub.received)} testId="stat-received" />
      <Stat label="Delivered" value={formatExact(sub.delivered)} testId="stat-delivered" />
      <Stat
        label="Duplicates suppressed"
        value={formatExact(sub.duplicatesSuppressed)}
        hint={openEpochDuplicates === null ? '\u00a0' : `${formatCount(openEpochDuplicates)} in this epoch`}
      />
      <Stat label="Current epoch" value={`#${sub.epoch}`} testId="stat-epoch" />
      <Stat label="Subscriber" value={<SubscriberStateChip state={sub.state} failure={sub.failure} />} />
    </div>
  );
}

/** A position longer than this ($all: "C:…/P:…") gets a full-width row instead of wrapping in a half. */
const SHORT_POSITION = 12;

function ServerStats({ detail, stale }: { detail: SubscriptionDetail; stale: boolean }) {
  const s = detail.summary;
  const checkpointed = formatPosition(s.lastCheckpointed);
  const known = formatPosition(s.lastKnown);
  const widePositions = checkpointed.length > SHORT_POSITION || known.length > SHORT_POSITION;
  const rows: { label: string; value: string; title?: string; wide?: boolean }[] = [
    { label: 'Status', value: s.status },
    { label: 'Connections', value: formatCount(s.connections) },
    { label: 'In flight / buffer', value: `${formatCount(s.inFlight)} / ${formatCount(s.bufferSize)}` },
    { label: 'Parked', value: formatCount(s.parked), title: formatExact(s.parked) },
    ...(widePositions ? [{ label: 'Rate', value: `${formatRate(s.ratePerSecond)} /s` }] : []),
    { label: 'Last checkpointed', value: checkpointed, wide: widePositions },
    { label: 'Last known', value: known, wide: widePositions },
    ...(widePositions ? [] : [{ label: 'Rate', value: `${formatRate(s.ratePerSecond)} /s` }]),
  ];
  return (
    <dl className={`kv-grid${stale ? ' is-stale' : ''}`} data-testid="server-stats" data-stale={stale}>
      {rows.map(({ label, value, title, wide }) => (
        <div key={label} className={`kv${wide ? ' kv-wide' : ''}`}>
          <dt>{label}</dt>
          <dd className="num-text" title={title}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * "Events since last checkpoint": what a server restart or a group reload would redeliver
 * (DESIGN.md §10 uses it against duplicates suppressed). Unknown for `$all` groups, whose
 * positions are log bytes, and before the first checkpoint.
 */
function SinceCheckpoint({ summary, stale }: { summary: SubscriptionDetail['summary']; stale: boolean }) {
  const { behind, stream, proxied } = summary;
  return (
    <div className={`since-checkpoint${stale ? ' is-stale' : ''}`} data-testid="since-checkpoint" data-value={behind ?? ''}>
      <div className="since-checkpoint-label">Events since last checkpoint</div>
      <div className="since-checkpoint-value num-text" title={behind === null ? undefined : formatExact(behind)}>
        {behind === null ? '—' : `${formatCount(behind)} event${behind === 1 ? '' : 's'}`}
      </div>
      <p className="muted since-checkpoint-note">
        {behind === null
          ? stream === '$all'
            ? 'Not known for $all groups: their positions are log positions, not event counts.'
            : 'Not known yet: the group has not written a checkpoint.'
          : `What a server restart or a group reload would redeliver${proxied ? '; subwatch suppresses them as duplicates' : ''}.`}
      </p>
    </div>
  );
}

function Detail({ stream, group }: Props) {
  const detail = useSubscription(stream, group);
  const freshness = useLiveFreshness();
  // Numbers are polled while the stream is down: "as of" is their last update, snapshot or poll.
  const staleMark = freshness.reason && detail.data && (
    <StaleMark reason={freshness.reason} asOf={detail.dataUpdatedAt} note="Numbers are polled every few seconds meanwhile." />
  );
  const epochs = useEpochs(stream, group, 50);
  const epochList = useMemo(() => epochs.data?.epochs ?? [], [epochs.data]);
  const series = useMemo(() => toDuplicatesSeries(epochList, 30), [epochList]);
  // The open epoch grows to "now": redraw the track every 5 s.
  const now = useNow(5000);
  const timeline = useMemo(() => toReconnectTimeline(epochList, now), [epochList, now]);
  const openEpoch = epochList.find((e) => e.endedAt === null) ?? null;
  // Park… in the held list: the park form takes that event id (a new seq remounts it).
  const [parkPrefill, setParkPrefill] = useState<{ eventId: string; seq: number } | undefined>(undefined);

  if (detail.error instanceof ApiError && detail.error.status === 404) {
    return (
      <>
        <Heading stream={stream} group={group} />
        <Card>
          <EmptyState title="No such persistent subscription">
            <p>
              The server has no group <strong>{group}</strong> on stream <strong>{stream}</strong>. It may have been deleted.{' '}
              <Link href="/">Back to all subscriptions</Link>
            </p>
          </EmptyState>
        </Card>
      </>
    );
  }

  const data = detail.data;
  return (
    <>
      <Heading stream={stream} group={group} detail={data} staleMark={staleMark} />
      <LiveBanner fetchError={detail.error ?? epochs.error} />
      {detail.error && !(detail.error instanceof ApiError && detail.error.code === 'NETWORK') && (
        <Banner tone="error">Could not load this subscription: {detail.error.message}</Banner>
      )}
      {data ? (
        <>
          <Reasons detail={data} />
          <Counters detail={data} openEpochDuplicates={openEpoch?.duplicatesSuppressed ?? null} stale={freshness.stale} />
          {data.summary.subscriber && (
            <div className={freshness.stale ? 'is-stale' : undefined}>
              <SubscriberCondition subscriber={data.summary.subscriber} />
            </div>
          )}
          <LiveCharts stream={stream} group={group} proxied={data.summary.proxied} />
          <div className="grid-2 grid-chart">
            <Card title="Server" description="As reported by the server, polled every second." actions={staleMark}>
              <ServerStats detail={data} stale={freshness.stale} />
              <SinceCheckpoint summary={data.summary} stale={freshness.stale} />
            </Card>
            <Card
              title="Duplicates suppressed per reconnect"
              description={describeDuplicatesChart(series)}
            >
              {data.summary.proxied ? (
                series.length > 0 ? (
                  <ChartBarDuplicates data={series} />
                ) : (
                  <div className="chart chart-empty">{epochs.isPending ? 'Loading…' : 'No epochs recorded yet.'}</div>
                )
              ) : (
                <div className="chart chart-empty">Not proxied by subwatch: no epochs.</div>
              )}
            </Card>
          </div>
          {data.summary.proxied && (
            <Card
              title="Reconnect timeline"
              description="Each epoch (connection) on a time axis, the right edge coloured by how it ended; hatched: disconnected. Hover or focus an epoch for its details."
              testId="timeline-card"
            >
              {timeline ? (
                <ReconnectTimeline timeline={timeline} />
              ) : (
                <p className="muted pad">{epochs.isPending ? 'Loading…' : 'No epochs recorded yet.'}</p>
              )}
            </Card>
          )}
          <ParkedBrowser stream={stream} group={group} parkedLive={data.summary.parked} subscriber={data.summary.subscriber} />
          {data.summary.proxied && (
            <HeldList
              stream={stream}
              group={group}
              onPark={(eventId) => setParkPrefill((previous) => ({ eventId, seq: (previous?.seq ?? 0) + 1 }))}
            />
          )}
          <div className="grid-2">
            <Card
              title="Park a message in flight"
              description="Parks a delivery subwatch's subscriber holds right now (in the sink or waiting for a retry), by its event id: Park… in the held list fills it in."
              testId="park-card"
            >
              <ParkForm key={parkPrefill?.seq ?? 0} stream={stream} group={group} proxied={data.summary.proxied} prefill={parkPrefill} />
            </Card>
            <Card title="Recent actions" description="Park, replay and reconnect outcomes for this group, live from the server.">
              <RecentActions stream={stream} group={group} />
            </Card>
          </div>
          {data.summary.proxied && (
            <Card title="Epochs" description="Newest first. An epoch is one connection of the subscriber.">
              {epochList.length > 0 ? <EpochsTable epochs={epochList} /> : <p className="muted pad">No epochs recorded yet.</p>}
            </Card>
          )}
          <InstancesCard stream={stream} group={group} proxied={data.summary.proxied} />
          <Card title="Connections" description="Consumers connected to this group, as the server sees them.">
            <ConnectionsTable connections={data.connections} />
          </Card>
          <Card title="Settings">
            <SettingsList settings={data.settings} />
          </Card>
        </>
      ) : (
        !detail.error && <DetailSkeleton />
      )}
    </>
  );
}

function DetailSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="stats-row">
        {Array.from({ length: 5 }, (_, i) => (
          <Stat key={i} label={'\u00a0'} value={<span className="skeleton" />} />
        ))}
      </div>
      <div className="grid-2 grid-chart">
        <Card title="Server">
          <div className="chart" />
        </Card>
        <Card title="Duplicates suppressed per reconnect">
          <div className="chart" />
        </Card>
      </div>
    </div>
  );
}

export function SubscriptionClient({ stream, group }: Props) {
  return (
    <RequireRead
      fallback={
        <>
          <Heading stream={stream} group={group} />
          <DetailSkeleton />
        </>
      }
    >
      <Detail stream={stream} group={group} />
    </RequireRead>
  );
}
