import { describe, expect, it } from 'vitest';

import type { Epoch } from '@/lib/api/schemas';

import { toReconnectTimeline } from './reconnect-timeline-series';

const T0 = Date.parse('2026-12-04T10:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function epoch(n: number, start: number, end: number | null, endReason: string | null, duplicatesSuppressed = 0): Epoch {
  return {
    epoch: n,
    startedAt: at(start),
    endedAt: end === null ? null : at(end),
    endReason,
    received: 10,
    delivered: 10 - duplicatesSuppressed,
    duplicatesSuppressed,
    retried: 0,
    parked: 0,
    skipped: 0,
  };
}

describe('toReconnectTimeline', () => {
  // #1 10:00:00–10:10:00 lost, 2 s down, #2 10:10:02–10:20:00 forced, 1 s down, #3 from 10:20:01, open; now 10:30:00.
  const epochs = [
    epoch(3, 1201, null, null, 4),
    epoch(2, 602, 1200, 'forced reconnect by admin', 7),
    epoch(1, 0, 600, 'connection lost: 14 UNAVAILABLE'),
  ];
  const now = T0 + 1800_000;

  it('lays the epochs out oldest first on a track from the oldest start to now, in percent of its width', () => {
    const timeline = toReconnectTimeline(epochs, now)!;
    expect(timeline.from).toBe(T0);
    expect(timeline.to).toBe(now);
    expect(timeline.segments.map((s) => [s.epoch, s.kind, s.left, s.width])).toEqual([
      [1, 'lost', 0, 33.333],
      [2, 'forced', 33.444, 33.222],
      [3, 'open', 66.722, 33.278],
    ]);
    expect(timeline.segments.map((s) => s.duplicatesSuppressed)).toEqual([0, 7, 4]);
    expect(timeline.segments[2]!.durationMs).toBe(599_000);
    expect(timeline.ends).toBe(2);
  });

  it('marks the time between an end and the next start as a gap', () => {
    const timeline = toReconnectTimeline(epochs, now)!;
    expect(timeline.gaps.map((g) => [g.from - T0, g.to - T0])).toEqual([
      [600_000, 602_000],
      [1200_000, 1201_000],
    ]);
  });

  it('puts round ticks on the axis, no more than asked for', () => {
    const timeline = toReconnectTimeline(epochs, now)!;
    // 30 minutes in at most 6 ticks: every 10 minutes, both ends included.
    expect(timeline.ticks.map((t) => [t.t - T0, t.left])).toEqual([
      [0, 0],
      [600_000, 33.333],
      [1200_000, 66.667],
      [1800_000, 100],
    ]);
  });

  it('shows only the last window before now and clips the epoch that crosses its start', () => {
    const timeline = toReconnectTimeline(epochs, now, { windowMs: 15 * 60_000 })!;
    expect(timeline.from).toBe(T0 + 900_000);
    expect(timeline.segments.map((s) => [s.epoch, s.left])).toEqual([
      [2, 0],
      [3, 33.444],
    ]);
    expect(timeline.segments[0]!.from).toBe(T0 + 900_000);
    expect(timeline.ends).toBe(1);
  });

  it('keeps a very short epoch visible with the minimum width', () => {
    const short = [epoch(2, 1000, null, null), epoch(1, 0, 1, 'connection lost: cut')];
    const timeline = toReconnectTimeline(short, T0 + 1000_000, { minWidth: 0.5 })!;
    expect(timeline.segments[0]!.width).toBe(0.5);
  });

  it('ends an epoch left open by a stopped process where the next one started', () => {
    const crashed = [epoch(2, 100, null, null), epoch(1, 0, null, null)];
    const timeline = toReconnectTimeline(crashed, T0 + 200_000)!;
    expect(timeline.segments.map((s) => [s.epoch, s.kind, s.to - T0])).toEqual([
      [1, 'unrecorded', 100_000],
      [2, 'open', 200_000],
    ]);
    expect(timeline.gaps).toEqual([]);
  });

  it('is null without epochs', () => {
    expect(toReconnectTimeline([], now)).toBeNull();
  });
});
