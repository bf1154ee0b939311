import type { Epoch } from '@/lib/api/schemas';

import { toEndKind, type EpochEndKind } from '../epochs/end-reason';

export type { EpochEndKind };

export interface TimelineSegment {
  epoch: number;
  /** Clipped to the timeline window, ms since epoch. */
  from: number;
  to: number;
  /** Unclipped start / end (end null while open), ISO, for the details line. */
  startedAt: string;
  endedAt: string | null;
  /** How long the connection lasted (open: until `now`; unrecorded: until the next epoch started). */
  durationMs: number;
  kind: EpochEndKind;
  endReason: string | null;
  duplicatesSuppressed: number;
  delivered: number;
  /** Position on the track, percent of its width. */
  left: number;
  width: number;
}

/** Time between one epoch's end and the next one's start: the subscriber was not connected. */
export interface TimelineGap {
  from: number;
  to: number;
  left: number;
  width: number;
}

export interface TimelineTick {
  t: number;
  left: number;
}

export interface ReconnectTimeline {
  from: number;
  to: number;
  /** Oldest first. */
  segments: TimelineSegment[];
  gaps: TimelineGap[];
  ticks: TimelineTick[];
  /** Connections that ended inside the window (each one a reconnect or a stop). */
  ends: number;
}

export interface ReconnectTimelineOptions {
  /** The track shows at most this much time before `now`. Default 30 min. */
  windowMs?: number;
  /** A segment is never drawn narrower than this (percent), so a 1-second epoch stays visible. */
  minWidth?: number;
  /** At most this many axis ticks. Default 6. */
  maxTicks?: number;
}

const TICK_STEPS_MS = [10_000, 30_000, 60_000, 2 * 60_000, 5 * 60_000, 10 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 6 * 3_600_000];

/** Percent of the track, rounded to 3 decimals. */
const round3 = (value: number) => Math.round(value * 1000) / 1000;
const pct = (t: number, from: number, span: number) => round3(((t - from) / span) * 100);

/**
 * Shapes epochs (any order, as the API returns them: newest first) into a time track ending at
 * `now`: one segment per connection, gaps where the subscriber was disconnected, and round ticks.
 * The track starts at the oldest epoch's start, or `windowMs` before `now` when that is later;
 * epochs that ended before it are left out. An epoch with no end although a newer one exists
 * (the process stopped without closing it) ends where the next one started, kind `unrecorded`.
 */
export function toReconnectTimeline(
  epochs: readonly Epoch[],
  now: number,
  { windowMs = 30 * 60_000, minWidth = 0.6, maxTicks = 6 }: ReconnectTimelineOptions = {},
): ReconnectTimeline | null {
  const sorted = [...new Map(epochs.map((e) => [e.epoch, e])).values()].sort((a, b) => a.epoch - b.epoch);
  if (sorted.length === 0) return null;
  const spans = sorted.map((e, i) => {
    const next = sorted[i + 1];
    const start = Date.parse(e.startedAt);
    const end = e.endedAt !== null ? Date.parse(e.endedAt) : next ? Date.parse(next.startedAt) : now;
    return { e, start, end: Math.max(start, end), kind: toEndKind(e, next !== undefined) };
  });
  const oldest = spans[0]!.start;
  const to = Math.max(now, ...spans.map((s) => s.end));
  const from = Math.min(Math.max(oldest, to - windowMs), to - 1000);
  const span = to - from;

  const visible = spans.filter((s) => s.end > from || s.kind === 'open');
  const segments: TimelineSegment[] = visible.map(({ e, start, end, kind }) => {
    const a = Math.max(start, from);
    const b = Math.min(end, to);
    const left = Math.min(pct(a, from, span), 100 - minWidth);
    return {
      epoch: e.epoch,
      from: a,
      to: b,
      startedAt: e.startedAt,
      endedAt: e.endedAt,
      durationMs: end - start,
      kind,
      endReason: e.endReason,
      duplicatesSuppressed: e.duplicatesSuppressed,
      delivered: e.delivered,
      left,
      width: round3(Math.min(Math.max(minWidth, ((b - a) / span) * 100), 100 - left)),
    };
  });

  const gaps: TimelineGap[] = [];
  for (let i = 1; i < visible.length; i++) {
    const a = Math.max(visible[i - 1]!.end, from);
    const b = Math.min(visible[i]!.start, to);
    if (b > a) gaps.push({ from: a, to: b, left: pct(a, from, span), width: round3(((b - a) / span) * 100) });
  }

  const step = TICK_STEPS_MS.find((s) => Math.floor(span / s) + 1 <= maxTicks) ?? TICK_STEPS_MS.at(-1)!;
  const ticks: TimelineTick[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push({ t, left: pct(t, from, span) });

  const ends = segments.filter((s) => s.kind !== 'open' && s.endedAt !== null && Date.parse(s.endedAt) >= from).length;
  return { from, to, segments, gaps, ticks, ends };
}
