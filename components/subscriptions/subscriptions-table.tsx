'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, type ReactNode } from 'react';

import type { SubscriptionSummary } from '@/lib/api/schemas';

import { toRateSeries } from '../charts/rate-series';
import { Sparkline } from '../charts/sparkline';
import { formatCount, formatExact, formatRate } from '../format';
import { useLiveHistory } from '../hooks/use-live-stream';
import { SkeletonRows } from '../ui/skeleton';
import { HealthBadge } from './health-badge';
import { SubscriberStateChip } from './subscriber-state';
import { subscriptionHref } from './subscription-href';
import type { SortDir, SortKey } from './subscriptions-view';

const COLUMNS = 12;

/** `optional` columns are hidden on narrow screens (globals.css `.col-optional`). */
function Num({ value, testId, muted, optional }: { value: number | null; testId?: string; muted?: boolean; optional?: boolean }) {
  return (
    <td className={`num${muted ? ' muted' : ''}${optional ? ' col-optional' : ''}`} title={formatExact(value)} data-testid={testId} data-value={value ?? ''}>
      {formatCount(value)}
    </td>
  );
}

function Dash({ optional }: { optional?: boolean }) {
  return <td className={`num muted${optional ? ' col-optional' : ''}`}>—</td>;
}

function RateCell({ s }: { s: SubscriptionSummary }) {
  const samples = useLiveHistory(s.stream, s.group);
  const series = useMemo(() => toRateSeries(samples), [samples]);
  return (
    <td className="num cell-rate" title={`${s.ratePerSecond} events/s`} data-testid="rate" data-value={s.ratePerSecond}>
      <span className="rate">
        <Sparkline series={series} />
        <span className="rate-value">{formatRate(s.ratePerSecond)}</span>
      </span>
    </td>
  );
}

function Row({ s }: { s: SubscriptionSummary }) {
  const router = useRouter();
  const href = subscriptionHref(s.stream, s.group);
  const sub = s.subscriber;
  return (
    <tr
      className="row-link"
      data-testid="subscription-row"
      data-stream={s.stream}
      data-group={s.group}
      data-health={s.health.level}
      onClick={(event) => {
        // Let real links and modified clicks (new tab) behave natively.
        if ((event.target as HTMLElement).closest('a') || event.metaKey || event.ctrlKey) return;
        router.push(href);
      }}
    >
      <td className="cell-name">
        <Link href={href} className="name-link">
          <span className="name-group">{s.group}</span>
          <span className="name-stream">{s.stream}</span>
        </Link>
      </td>
      <td className="cell-health">
        <HealthBadge health={s.health} />
        {s.health.reasons[0] && (
          // The first reason in words, so a problem reads at a glance; all of them are in the badge's tooltip.
          <span className="health-reason" title={s.health.reasons.join('\n')} data-testid="health-reason" aria-hidden="true">
            {s.health.reasons[0]}
            {s.health.reasons.length > 1 && <span className="muted"> (+{s.health.reasons.length - 1})</span>}
          </span>
        )}
      </td>
      <td className="cell-status col-optional col-medium">{s.status}</td>
      <Num value={s.connections} optional />
      <td className="num" title={`${formatExact(s.inFlight)} unacked messages in flight; consumers have ${formatExact(s.bufferSize)} slots in total`}>
        {formatCount(s.inFlight)}
        <span className="muted"> / {formatCount(s.bufferSize)}</span>
      </td>
      <Num value={s.parked} muted={s.parked === 0} testId="parked" />
      <Num value={s.behind} optional />
      <RateCell s={s} />
      {sub ? (
        <>
          <td className="cell-subscriber">
            <SubscriberStateChip state={sub.state} failure={sub.failure} />
            <span className="muted epoch-tag" title="Current epoch (connection number)">
              epoch {sub.epoch}
            </span>
          </td>
          <Num value={sub.received} testId="received" optional />
          <Num value={sub.delivered} testId="delivered" />
          <Num value={sub.duplicatesSuppressed} testId="duplicates" muted={sub.duplicatesSuppressed === 0} />
        </>
      ) : (
        <>
          <td className="muted cell-subscriber" title="subwatch does not proxy this group: server stats only">
            not proxied
          </td>
          <Dash optional />
          <Dash />
          <Dash />
        </>
      )}
    </tr>
  );
}

export interface TableSort {
  key: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
}

interface Column {
  key: SortKey;
  label: ReactNode;
  num?: boolean;
  optional?: boolean;
  /** Hidden already on medium screens (≤ 1280 px): the health column says more. */
  medium?: boolean;
  title?: string;
}

const COLUMN_DEFS: Column[] = [
  { key: 'name', label: 'Group / stream' },
  { key: 'health', label: 'Health', title: 'Problems first: failing, then degraded, then healthy' },
  { key: 'status', label: 'Status', optional: true, medium: true },
  { key: 'connections', label: 'Conns', num: true, optional: true, title: 'Connections on the server' },
  { key: 'inFlight', label: 'In flight', num: true, title: 'Unacked messages in flight / total consumer slots (sum of the connections\u2019 buffer sizes)' },
  { key: 'parked', label: 'Parked', num: true },
  {
    key: 'behind',
    label: 'Uncheckpointed',
    num: true,
    optional: true,
    title: 'Events after the last checkpoint (lastKnown − lastCheckpointed): what a server restart would redeliver',
  },
  { key: 'rate', label: 'Rate/s', num: true, title: 'Events per second; the line is the last minute' },
  { key: 'subscriber', label: 'Subscriber', title: 'subwatch subscriber state and current epoch' },
  { key: 'received', label: 'Received', num: true, optional: true },
  { key: 'delivered', label: 'Delivered', num: true },
  { key: 'duplicates', label: 'Dup. suppressed', num: true, title: 'Duplicates suppressed (all epochs)' },
];

function HeaderCell({ column, sort }: { column: Column; sort?: TableSort }) {
  const className =
    [column.num ? 'num' : '', column.optional ? 'col-optional' : '', column.medium ? 'col-medium' : ''].filter(Boolean).join(' ') || undefined;
  if (!sort) {
    return (
      <th scope="col" className={className} title={column.title}>
        {column.label}
      </th>
    );
  }
  const active = sort.key === column.key;
  const ariaSort = active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  return (
    <th scope="col" className={className} aria-sort={ariaSort} title={column.title}>
      <button type="button" className={`th-sort${active ? ' th-sort-active' : ''}`} onClick={() => sort.onSort(column.key)} data-testid={`sort-${column.key}`}>
        <span>{column.label}</span>
        <span className="th-sort-icon" aria-hidden="true">
          {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** Every persistent subscription on the server; rows link to the subscription page. Sortable when `sort` is given. */
export function SubscriptionsTable({
  subscriptions,
  loading,
  sort,
  empty,
  stale = false,
}: {
  subscriptions: SubscriptionSummary[];
  loading: boolean;
  /** Live numbers are stale (live stream down): dimmed, see the mark in the page heading. */
  stale?: boolean;
  sort?: TableSort;
  /** Shown in place of rows when nothing matches the filters. */
  empty?: ReactNode;
}) {
  return (
    <div className="table-scroll">
      <table className={`table${stale ? ' is-stale' : ''}`} data-testid="subscriptions-table" data-stale={stale}>
        <thead>
          <tr>
            {COLUMN_DEFS.map((column) => (
              <HeaderCell key={column.key} column={column} sort={sort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows rows={3} columns={COLUMNS} />
          ) : subscriptions.length === 0 && empty ? (
            <tr>
              <td colSpan={COLUMNS} className="cell-empty">
                {empty}
              </td>
            </tr>
          ) : (
            subscriptions.map((s) => <Row key={`${s.stream}\u0000${s.group}`} s={s} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
