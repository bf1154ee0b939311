import type { ConnectionInfo } from '@/lib/api/schemas';

import { formatCount, formatRate } from '../format';

export function ConnectionsTable({ connections }: { connections: ConnectionInfo[] }) {
  if (connections.length === 0) return <p className="muted pad">No consumers are connected to this group.</p>;
  return (
    <div className="table-scroll">
      <table className="table table-compact" data-testid="connections-table">
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col">User</th>
            <th scope="col">From</th>
            <th scope="col" className="num">Items/s</th>
            <th scope="col" className="num">Total items</th>
            <th scope="col" className="num">In flight</th>
            <th scope="col" className="num">Free slots</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((c, i) => (
            <tr key={`${c.connectionName}-${c.from}-${i}`}>
              <td className="mono cell-truncate" title={c.connectionName}>
                {c.connectionName || '—'}
              </td>
              <td>{c.username || '—'}</td>
              <td className="mono">{c.from || '—'}</td>
              <td className="num">{formatRate(c.averageItemsPerSecond)}</td>
              <td className="num" title={c.totalItems}>
                {/^\d+$/.test(c.totalItems) ? formatCount(Number(c.totalItems)) : c.totalItems}
              </td>
              <td className="num">{formatCount(c.inFlightMessages)}</td>
              <td className="num">{formatCount(c.availableSlots)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
