'use client';

import { useState } from 'react';

import type { Epoch } from '@/lib/api/schemas';

import { formatDuplicateCauses } from '../charts/duplicates-series';
import { END_KIND_LABEL, END_KIND_TONE, toEndKind, toEndReasonDetail, type EpochEndKind } from './end-reason';
import { formatClock, formatCount, formatDuration, formatExact, formatRelative } from '../format';
import { useNow } from '../hooks/use-now';

/** `optional`: hidden on narrow screens (the numbers an on-call operator needs first stay). */
function Num({ value, title, optional = false }: { value: number; title?: string; optional?: boolean }) {
  return (
    <td className={`num${value === 0 ? ' muted' : ''}${optional ? ' col-optional' : ''}`} title={title ?? formatExact(value)}>
      {formatCount(value)}
    </td>
  );
}


/** The kind as a chip, then the rest of the reason on one line; the full reason is the tooltip. */
function EndReason({ kind, reason }: { kind: EpochEndKind; reason: string | null }) {
  if (kind === 'open') return <span className="muted">—</span>;
  const detail = toEndReasonDetail(kind, reason);
  return (
    <span className="end-reason" title={reason ?? END_KIND_LABEL[kind]}>
      <span className={`chip chip-${END_KIND_TONE[kind]}`} data-testid="end-kind" data-kind={kind}>
        {END_KIND_LABEL[kind]}
      </span>
      {detail && <span className="end-reason-detail">{detail}</span>}
    </span>
  );
}

/** Rows shown before "Show all": the recent reconnects; the timeline above shows the rest at a glance. */
const COLLAPSED_ROWS = 10;

/**
 * One row per connection epoch, newest first; the newest ten until the operator asks for all.
 * Narrow screens drop Received and Retried and the relative times (the start and end cells keep
 * the exact times in their tooltips), so the counts that matter stay in view without scrolling.
 */
export function EpochsTable({ epochs }: { epochs: Epoch[] }) {
  const now = useNow(5000);
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? epochs : epochs.slice(0, COLLAPSED_ROWS);
  return (
    <>
    <div className="table-scroll">
      <table className="table table-compact" data-testid="epochs-table">
        <thead>
          <tr>
            <th scope="col">Epoch</th>
            <th scope="col">Started</th>
            <th scope="col">Ended</th>
            <th scope="col">End reason</th>
            <th scope="col" className="num col-optional">Received</th>
            <th scope="col" className="num">Delivered</th>
            <th scope="col" className="num">Dup. suppressed</th>
            <th scope="col" className="num col-optional">Retried</th>
            <th scope="col" className="num">Parked</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e, i) => {
            const ended = e.endedAt ? Date.parse(e.endedAt) : now;
            // Newest first: any row after the first has a newer epoch.
            const kind = toEndKind(e, i > 0);
            const causes = formatDuplicateCauses(e.duplicatesByCause);
            return (
              <tr key={e.epoch} data-testid="epoch-row" data-epoch={e.epoch}>
                <td className="mono">#{e.epoch}</td>
                <td title={e.startedAt}>
                  {formatClock(e.startedAt)} <span className="muted cell-secondary">· {formatRelative(e.startedAt, now)}</span>
                </td>
                <td title={e.endedAt ?? 'still open'}>
                  {e.endedAt ? (
                    <>
                      {formatClock(e.endedAt)} <span className="muted cell-secondary">· lasted {formatDuration(ended - Date.parse(e.startedAt))}</span>
                    </>
                  ) : (
                    <span className="chip chip-ok">open</span>
                  )}
                </td>
                <td className="cell-reason">
                  <EndReason kind={kind} reason={e.endReason} />
                </td>
                <Num value={e.received} optional />
                <Num value={e.delivered} />
                <Num
                  value={e.duplicatesSuppressed}
                  title={causes ? `${formatExact(e.duplicatesSuppressed)}: ${causes}` : undefined}
                />
                <Num value={e.retried} optional />
                <Num value={e.parked} />
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
    {epochs.length > COLLAPSED_ROWS && (
      <div className="table-more">
        <button type="button" className="link-button" onClick={() => setExpanded((v) => !v)} data-testid="epochs-toggle">
          {expanded ? `Show the newest ${COLLAPSED_ROWS}` : `Show all ${epochs.length} epochs`}
        </button>
      </div>
    )}
    </>
  );
}
