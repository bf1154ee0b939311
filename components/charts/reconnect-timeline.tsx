'use client';

import { useState, type KeyboardEvent } from 'react';

import { END_KIND_LABEL, END_KIND_TONE } from '../epochs/end-reason';
import { formatClock, formatCount, formatDuration, formatExact } from '../format';
import type { EpochEndKind, ReconnectTimeline as Timeline, TimelineSegment } from './reconnect-timeline-series';

const LEGEND: EpochEndKind[] = ['open', 'lost', 'forced', 'demo-fault', 'stopped', 'unrecorded'];

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** Whole minutes above two minutes: "30 min", not "29 min 59 s". */
function roundSpan(ms: number): number {
  return ms > 120_000 ? Math.round(ms / 60_000) * 60_000 : ms;
}

function describe(s: TimelineSegment): string {
  const span = `${formatClock(s.startedAt)} → ${s.endedAt ? formatClock(s.endedAt) : 'now'} (${formatDuration(s.durationMs)})`;
  const end = s.kind === 'open' ? 'still connected' : s.kind === 'unrecorded' ? 'no end recorded (the process stopped first)' : `ended: ${s.endReason ?? END_KIND_LABEL[s.kind]}`;
  return `Epoch #${s.epoch} · ${span} · ${end} · ${formatExact(s.duplicatesSuppressed)} duplicate${s.duplicatesSuppressed === 1 ? '' : 's'} suppressed, ${formatExact(s.delivered)} delivered`;
}

/**
 * The reconnect timeline: each epoch (connection) as a bar on a time axis ending now, coloured
 * by how it ended, gaps where the subscriber was disconnected. Hover or focus a bar for its
 * start, end, end reason and duplicates suppressed; the open epoch is described by default.
 * Presentational: shaped by reconnect-timeline-series.ts.
 */
export function ReconnectTimeline({ timeline }: { timeline: Timeline }) {
  const [selected, setSelected] = useState<number | null>(null);
  const current = timeline.segments.find((s) => s.epoch === selected) ?? timeline.segments.at(-1)!;
  // One tab stop for the whole track (the described epoch); arrow keys move between epochs.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = { ArrowLeft: -1, ArrowRight: 1, Home: -Infinity, End: Infinity }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
    const at = buttons.findIndex((b) => b === document.activeElement);
    const next = Math.max(0, Math.min(buttons.length - 1, (at === -1 ? buttons.length - 1 : at) + step));
    buttons[next]?.focus();
  };
  const kinds = new Set(timeline.segments.map((s) => s.kind));
  return (
    <div className="timeline" data-testid="reconnect-timeline" data-segments={timeline.segments.length} data-ends={timeline.ends}>
      <div className="timeline-track" role="group" aria-label="Epochs on a time axis, oldest first (arrow keys move)" onMouseLeave={() => setSelected(null)} onKeyDown={onKeyDown}>
        {timeline.gaps.map((g) => (
          <span
            key={`gap-${g.from}`}
            className="timeline-gap"
            style={{ left: `${g.left}%`, width: `${g.width}%` }}
            title={`Disconnected ${formatDuration(g.to - g.from)} (${formatClock(iso(g.from))} → ${formatClock(iso(g.to))})`}
            aria-hidden="true"
          />
        ))}
        {timeline.segments.map((s) => (
          <button
            key={s.epoch}
            type="button"
            tabIndex={s.epoch === current.epoch ? 0 : -1}
            className={`timeline-segment timeline-${s.kind} timeline-end-${END_KIND_TONE[s.kind]}${s.epoch === selected ? ' timeline-selected' : ''}`}
            style={{ left: `${s.left}%`, width: `${s.width}%` }}
            title={describe(s)}
            aria-label={describe(s)}
            onMouseEnter={() => setSelected(s.epoch)}
            onFocus={() => setSelected(s.epoch)}
            onBlur={() => setSelected(null)}
            data-testid="timeline-segment"
            data-epoch={s.epoch}
            data-kind={s.kind}
          >
            {s.width >= 6 && <span className="timeline-label">#{s.epoch}</span>}
          </button>
        ))}
      </div>
      <div className="timeline-axis" aria-hidden="true">
        {timeline.ticks.map((t) => (
          <span key={t.t} className="timeline-tick" style={{ left: `${t.left}%` }}>
            {formatClock(iso(t.t))}
          </span>
        ))}
      </div>
      <p className="timeline-detail" aria-live="polite" data-testid="timeline-detail">
        {describe(current)}
      </p>
      <ul className="timeline-legend" aria-label="Legend">
        <li>
          <span className="timeline-swatch timeline-gap-swatch" aria-hidden="true" />
          disconnected
        </li>
        {LEGEND.filter((k) => kinds.has(k)).map((k) => (
          <li key={k}>
            <span className={`timeline-swatch timeline-${k} timeline-end-${END_KIND_TONE[k]}`} aria-hidden="true" />
            {k === 'open' ? 'current epoch' : `ended: ${END_KIND_LABEL[k]}`}
          </li>
        ))}
        <li className="muted timeline-summary">
          {formatCount(timeline.ends)} connection{timeline.ends === 1 ? '' : 's'} ended in the last {formatDuration(roundSpan(timeline.to - timeline.from))}
        </li>
      </ul>
    </div>
  );
}
