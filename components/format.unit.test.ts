import { describe, expect, it } from 'vitest';

import { formatCount, formatDuration, formatPosition, formatRate, formatRelative } from './format';

describe('formatCount', () => {
  it('abbreviates thousands and millions with one decimal', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1000)).toBe('1k');
    expect(formatCount(1234)).toBe('1.2k');
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(123_456)).toBe('123k');
    expect(formatCount(1_234_567)).toBe('1.2M');
  });

  it('promotes values that would round up to 1000 of a unit', () => {
    expect(formatCount(999_960)).toBe('1M');
  });

  it('shows a dash for missing values', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
    expect(formatCount(Number.NaN)).toBe('—');
  });
});

describe('formatRate', () => {
  it('keeps one decimal below 10 events per second', () => {
    expect(formatRate(0)).toBe('0');
    expect(formatRate(0.44)).toBe('0.4');
    expect(formatRate(3)).toBe('3');
    expect(formatRate(12.6)).toBe('13');
    expect(formatRate(2500)).toBe('2.5k');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-12-03T17:30:00Z');
  it('describes how long ago a time was', () => {
    expect(formatRelative('2026-12-03T17:29:58Z', now)).toBe('just now');
    expect(formatRelative('2026-12-03T17:29:18Z', now)).toBe('42 s ago');
    expect(formatRelative('2026-12-03T17:27:00Z', now)).toBe('3 min ago');
    expect(formatRelative('2026-12-03T15:00:00Z', now)).toBe('2 h ago');
    expect(formatRelative('2026-11-28T17:30:00Z', now)).toBe('5 d ago');
  });

  it('handles future and missing times', () => {
    expect(formatRelative('2026-12-03T17:31:00Z', now)).toBe('in 1 min');
    expect(formatRelative(null, now)).toBe('—');
    expect(formatRelative('not a date', now)).toBe('—');
  });
});

describe('formatDuration', () => {
  it('uses the two largest units', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
  });
});

describe('formatPosition', () => {
  it('shows bigint-safe positions verbatim', () => {
    expect(formatPosition('18446744073709551615')).toBe('18446744073709551615');
    expect(formatPosition(null)).toBe('—');
  });
});
