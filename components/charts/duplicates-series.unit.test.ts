import { describe, expect, it } from 'vitest';

import type { Epoch } from '@/lib/api/schemas';

import { describeDuplicatesChart, formatDuplicateCauses, toDuplicatesSeries } from './duplicates-series';

function epoch(n: number, duplicatesSuppressed: number, ended = true): Epoch {
  return {
    epoch: n,
    startedAt: `2026-12-03T17:0${n}:00Z`,
    endedAt: ended ? `2026-12-03T17:0${n}:30Z` : null,
    endReason: ended ? 'forced reconnect' : null,
    received: 100,
    delivered: 100 - duplicatesSuppressed,
    duplicatesSuppressed,
    retried: 0,
    parked: 0,
    skipped: 0,
  };
}

describe('toDuplicatesSeries', () => {
  it('puts one bar per epoch in ascending epoch order', () => {
    const series = toDuplicatesSeries([epoch(3, 7, false), epoch(2, 4), epoch(1, 0)]);
    expect(series.map((p) => [p.epoch, p.duplicatesSuppressed])).toEqual([
      [1, 0],
      [2, 4],
      [3, 7],
    ]);
    expect(series.map((p) => p.label)).toEqual(['#1', '#2', '#3']);
  });

  it('marks the open epoch and keeps the end reason of closed ones', () => {
    const series = toDuplicatesSeries([epoch(2, 1, false), epoch(1, 0)]);
    expect(series[0]).toMatchObject({ open: false, endReason: 'forced reconnect' });
    expect(series[1]).toMatchObject({ open: true, endReason: null });
  });

  it('keeps only the newest bars', () => {
    const many = Array.from({ length: 40 }, (_, i) => epoch(40 - i, i));
    const series = toDuplicatesSeries(many, 30);
    expect(series).toHaveLength(30);
    expect(series[0]?.epoch).toBe(11);
    expect(series.at(-1)?.epoch).toBe(40);
  });

  it('returns no bars for a group without epochs (not proxied)', () => {
    expect(toDuplicatesSeries([])).toEqual([]);
  });
});

describe('formatDuplicateCauses', () => {
  it('lists the non-zero causes, largest first', () => {
    expect(formatDuplicateCauses({ reconnect: 2, timeout: 8, reload: 0, replay: 1, other: 0 })).toBe('timeout 8 · reconnect 2 · replay 1');
  });

  it('is empty for an epoch without duplicates or without cause data (older records)', () => {
    expect(formatDuplicateCauses({ reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 })).toBe('');
    expect(formatDuplicateCauses(undefined)).toBe('');
  });
});

describe('describeDuplicatesChart', () => {
  const intro = 'One bar per epoch (connection): redelivered events subwatch had already processed.';

  it('mentions the fainter bar only when the open epoch suppressed duplicates', () => {
    expect(describeDuplicatesChart(toDuplicatesSeries([epoch(2, 3, false), epoch(1, 4)]))).toBe(
      `${intro} The fainter bar is the current (open) epoch.`,
    );
  });

  it('explains the thin grey mark, not a fainter bar, when the open epoch has no duplicates', () => {
    expect(describeDuplicatesChart(toDuplicatesSeries([epoch(2, 0, false), epoch(1, 4)]))).toBe(`${intro} A thin grey mark: none suppressed.`);
  });

  it('says nothing about marks that are not drawn', () => {
    expect(describeDuplicatesChart([])).toBe(intro);
    expect(describeDuplicatesChart(toDuplicatesSeries([epoch(1, 4)]))).toBe(intro);
  });
});
