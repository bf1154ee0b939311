import { describe, expect, it } from 'vitest';
import { backoffDelay, createBackoff } from './backoff';

describe('backoff', () => {
  it('doubles the delay after each consecutive failure until the cap', () => {
    const backoff = createBackoff({ initialMs: 100, maxMs: 1000, multiplier: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts again from the initial delay after a reset on success', () => {
    const backoff = createBackoff({ initialMs: 50, maxMs: 1000, jitter: 0 });
    backoff.next();
    backoff.next();
    expect(backoff.attempts).toBe(2);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(50);
  });

  it('draws jittered delays from the lower fraction of the computed delay', () => {
    const low = createBackoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0.999_999);
    const high = createBackoff({ initialMs: 1000, maxMs: 1000, jitter: 0.5 }, () => 0);
    expect(low.next()).toBe(500);
    expect(high.next()).toBe(1000);
  });

  it('never exceeds the cap even after very many failures', () => {
    expect(backoffDelay(10_000, { initialMs: 100, maxMs: 5000 })).toBe(5000);
  });

  it('rejects options that cannot produce a sane delay', () => {
    expect(() => createBackoff({ initialMs: 100, maxMs: 10 })).toThrow(/maxMs must be ≥ initialMs/);
    expect(() => createBackoff({ jitter: 2 })).toThrow(/jitter/);
  });
});
