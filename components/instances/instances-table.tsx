'use client';

import { formatCount, formatExact, formatRelative } from '../format';
import { useNow } from '../hooks/use-now';
import { SubscriberStateChip } from '../subscriptions/subscriber-state';
import type { GroupInstances } from './group-instances';

function Num({ value, testId }: { value: number; testId?: string }) {
  return (
    <td className={`num${value === 0 ? ' muted' : ''}`} title={formatExact(value)} data-testid={testId} data-value={value}>
      {formatCount(value)}
    </td>
  );
}

/**
 * The subwatch instances that serve one group (from their heartbeats in the shared dedup store)
 * and the group's totals over all of them. Counters are per instance, since it started.
 */
export function InstancesTable({ instances }: { instances: GroupInstances }) {
  const now = useNow(1000);
  const { rows, totals } = instances;
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="instances-table">
        <thead>
          <tr>
            <th scope="col">Instance</th>
            <th scope="col">State</th>
            <th scope="col">Last heartbeat</th>
            <th scope="col">Subscriber</th>
            <th scope="col" className="num">Received</th>
            <th scope="col" className="num">Delivered</th>
            <th scope="col" className="num">Dup. suppressed</th>
            <th scope="col" className="num">Parked</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.instanceId} data-testid="instance-row" data-instance={r.instanceId} data-state={r.state}>
              <td className="cell-instance">
                <span className="mono">{r.instanceId}</span>
                {r.self && (
                  <span className="chip chip-off instance-self" title="The instance serving this dashboard">
                    this one
                  </span>
                )}
                <span className="muted instance-host">
                  {r.host} · pid {r.pid} · started {formatRelative(r.startedAt, now)}
                </span>
              </td>
              <td>
                <span
                  className={`chip ${r.state === 'live' ? 'chip-ok' : 'chip-warn'}`}
                  data-testid="instance-state"
                  title={r.state === 'live' ? 'Heartbeat within the last three intervals' : 'Missed three heartbeats: stopped, hung or cut off from the store'}
                >
                  {r.state}
                </span>
              </td>
              <td title={r.lastSeen} data-testid="instance-last-seen">
                {formatRelative(r.lastSeen, now)}
              </td>
              <td className="cell-subscriber">
                <SubscriberStateChip state={r.group.state} />
                <span className="muted epoch-tag">epoch {r.group.epoch}</span>
              </td>
              <Num value={r.group.received} />
              <Num value={r.group.delivered} testId="instance-delivered" />
              <Num value={r.group.duplicatesSuppressed} />
              <Num value={r.group.parked} />
            </tr>
          ))}
        </tbody>
        {totals && (
          <tfoot>
            <tr data-testid="instances-totals">
              <th scope="row" colSpan={4}>
                All instances{' '}
                <span className="muted">
                  ({totals.instances} reporting, {totals.liveInstances} live)
                </span>
              </th>
              <Num value={totals.received} />
              <Num value={totals.delivered} testId="totals-delivered" />
              <Num value={totals.duplicatesSuppressed} />
              <Num value={totals.parked} />
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
