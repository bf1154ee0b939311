import { describe, expect, it } from 'vitest';

import { liveReconnectDelay } from './live-backoff';

describe('liveReconnectDelay', () => {
  it('doubles from one second and caps at thirty seconds', () => {
    const noJitter = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => liveReconnectDelay(a, noJitter))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('spreads reconnects by at most 20 % either way', () => {
    expect(liveReconnectDelay(0, () => 0)).toBe(800);
    expect(liveReconnectDelay(0, () => 0.999_999)).toBe(1200);
  });
});
