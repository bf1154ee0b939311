'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';

import type { SubscriptionSummary } from '@/lib/api/schemas';

import { formatCount, formatExact, formatRate } from '../format';
import { SkeletonRows } from '../ui/skeleton';
import { HealthBadge } from './health-badge';
import { SubscriberStateChip } from './subscriber-state';
import { subscriptionHref } from './subscription-href';

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
      <td>
        <HealthBadge health={s.health} />
      </td>
      <td className="cell-status">{s.status}</td>
      <Num value={s.connections} optional />
      <td className="num" title={`${formatExact(s.inFlight)} unacked messages in flight; consumers have ${formatExact(s.bufferSize)} slots in total`}>
        {formatCount(s.inFlight)}
        <span className="muted"> / {formatCount(s.bufferSize)}</span>
      </td>
      <Num value={s.parked} muted={s.parked === 0} />
      <Num value={s.behind} optional />
      <td className="num col-optional" title={`${s.ratePerSecond} events/s`}>
        {formatRate(s.ratePerSecond)}
      </td>
      {sub ? (
        <>
          <td className="cell-subscriber">
            <SubscriberStateChip state={sub.state} />
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

/** Every persistent subscription on the server; rows link to the subscription page. */
export function SubscriptionsTable({ subscriptions, loading }: { subscriptions: SubscriptionSummary[]; loading: boolean }) {
  return (
    <div className="table-scroll">
      <table className="table" data-testid="subscriptions-table">
        <thead>
          <tr>
            <th scope="col">Group / stream</th>
            <th scope="col">Health</th>
            <th scope="col">Status</th>
            <th scope="col" className="num col-optional" title="Connections on the server">
              Conns
            </th>
            <th scope="col" className="num" title="Unacked messages in flight / total consumer slots (sum of the connections' buffer sizes)">
              In flight
            </th>
            <th scope="col" className="num">
              Parked
            </th>
            <th scope="col" className="num col-optional" title="Events after the last checkpoint (lastKnown − lastCheckpointed): what a server restart would redeliver">
              Uncheckpointed
            </th>
            <th scope="col" className="num col-optional" title="Events per second">
              Rate/s
            </th>
            <th scope="col" title="subwatch subscriber state and current epoch">
              Subscriber
            </th>
            <th scope="col" className="num col-optional">
              Received
            </th>
            <th scope="col" className="num">
              Delivered
            </th>
            <th scope="col" className="num" title="Duplicates suppressed (all epochs)">
              Dup. suppressed
            </th>
          </tr>
        </thead>
        <tbody>
          {loading ? (
            <SkeletonRows rows={3} columns={COLUMNS} />
          ) : (
            subscriptions.map((s) => <Row key={`${s.stream}\u0000${s.group}`} s={s} />)
          )}
        </tbody>
      </table>
    </div>
  );
}
