import { describe, expect, it } from 'vitest';

import { sparklineLeadIn, sparklinePoints, toRateSeries } from './rate-series';
import { sample } from './test-samples';

describe('toRateSeries', () => {
  it('keeps the last minute of rates, oldest first, with its maximum', () => {
    const samples = Array.from({ length: 90 }, (_, s) => sample(s, { ratePerSecond: s }));
    const series = toRateSeries(samples);
    expect(series.values).toHaveLength(60);
    expect(series.values[0]).toBe(30);
    expect(series.values.at(-1)).toBe(89);
    expect(series.max).toBe(89);
  });

  it('is empty without samples and treats non-finite or negative rates as 0', () => {
    expect(toRateSeries([])).toEqual({ values: [], max: 0 });
    expect(toRateSeries([sample(0, { ratePerSecond: Number.NaN }), sample(1, { ratePerSecond: -3 })]).values).toEqual([0, 0]);
  });
});

describe('sparklinePoints', () => {
  it('fills from the right: a short history occupies the last slots', () => {
    expect(sparklinePoints([0, 10], 100, 20, 3, 0)).toBe('50,20 100,0');
  });

  it('draws an all-zero series flat on the bottom edge and nothing for no data', () => {
    expect(sparklinePoints([0, 0, 0], 40, 10, 3, 0)).toBe('0,10 20,10 40,10');
    expect(sparklinePoints([], 40, 10, 3)).toBe('');
  });

  it('scales to the maximum and keeps the stroke inside the padding', () => {
    expect(sparklinePoints([5, 10], 12, 12, 2, 1)).toBe('1,6 11,1');
  });
});

describe('sparklineLeadIn', () => {
  it('runs from the left edge to the first point, at its height, while the window is not full', () => {
    // Slots at x = 0, 50, 100: two values take the last two; the first sits at x 50, y 20 (value 0).
    expect(sparklineLeadIn([0, 10], 100, 20, 3, 0)).toEqual({ x1: 0, x2: 50, y: 20 });
    expect(sparklineLeadIn([5, 10], 12, 12, 3, 1)).toEqual({ x1: 1, x2: 6, y: 6 });
  });

  it('is null once every slot has a value, and without values', () => {
    expect(sparklineLeadIn([1, 2, 3], 100, 20, 3, 0)).toBeNull();
    expect(sparklineLeadIn([], 100, 20, 3, 0)).toBeNull();
  });
});
