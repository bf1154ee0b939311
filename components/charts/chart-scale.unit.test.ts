import { describe, expect, it } from 'vitest';

import { agoLabel, liveWindow, windowTicks, yTicks } from './chart-scale';

describe('liveWindow', () => {
  it('grows in steps of 1, 2 and 5 minutes with the history, capped at the maximum', () => {
    expect(liveWindow(0).windowMs).toBe(60_000);
    expect(liveWindow(59_000).windowMs).toBe(60_000);
    expect(liveWindow(61_000).windowMs).toBe(120_000);
    expect(liveWindow(150_000).windowMs).toBe(300_000);
    expect(liveWindow(10 * 60_000).windowMs).toBe(300_000);
    expect(liveWindow(150_000, 120_000).windowMs).toBe(120_000);
  });

  it('puts ticks from the window start to the newest point', () => {
    expect(windowTicks(100_000, liveWindow(0))).toEqual([40_000, 55_000, 70_000, 85_000, 100_000]);
    expect(windowTicks(300_000, liveWindow(300_000))).toHaveLength(6);
  });
});

describe('agoLabel', () => {
  it('labels ticks relative to the newest point', () => {
    expect(agoLabel(10_000, 10_000)).toBe('now');
    expect(agoLabel(0, 15_000)).toBe('−15 s');
    expect(agoLabel(0, 60_000)).toBe('−1 min');
    expect(agoLabel(0, 90_000)).toBe('−1 min 30 s');
  });
});

describe('yTicks', () => {
  it('covers the maximum with round integer steps', () => {
    expect(yTicks(22)).toEqual([0, 10, 20, 30]);
    expect(yTicks(10)).toEqual([0, 5, 10]);
    expect(yTicks(3)).toEqual([0, 1, 2, 3]);
    expect(yTicks(1234)).toEqual([0, 500, 1000, 1500]);
    expect(yTicks(0.4)).toEqual([0, 1]);
  });

  it('gives [0, 1] for an empty or all-zero series', () => {
    expect(yTicks(0)).toEqual([0, 1]);
    expect(yTicks(Number.NaN)).toEqual([0, 1]);
  });
});
