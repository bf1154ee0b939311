import { describe, expect, it } from 'vitest';

import { createRateLimiter } from './rate-limiter';

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('rate limiter (token bucket per key)', () => {
  it('allows a burst up to the capacity, then refuses with the seconds until the next token', () => {
    const c = clock();
    const limiter = createRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: c.now });
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('refills continuously at the configured rate, never above the capacity', () => {
    const c = clock();
    const limiter = createRateLimiter({ capacity: 2, refillPerSecond: 1, now: c.now });
    limiter.take('a');
    limiter.take('a');
    c.advance(1000);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    c.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, false]);
  });

  it('keeps one bucket per key, so one noisy client does not block another', () => {
    const c = clock();
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 1, now: c.now });
    expect(limiter.take('10.0.0.1').allowed).toBe(true);
    expect(limiter.take('10.0.0.1').allowed).toBe(false);
    expect(limiter.take('10.0.0.2').allowed).toBe(true);
  });

  it('rounds a partial wait up to whole seconds and never answers less than one second', () => {
    const c = clock();
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 10, now: c.now });
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets the least recently used bucket when it holds maxKeys buckets', () => {
    const c = clock();
    const limiter = createRateLimiter({ capacity: 1, refillPerSecond: 0.001, now: c.now, maxKeys: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // evicts a
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('c').allowed).toBe(false);
  });

  it('fails fast on a nonsensical configuration', () => {
    expect(() => createRateLimiter({ capacity: 0, refillPerSecond: 1, now: Date.now })).toThrow(/capacity/);
    expect(() => createRateLimiter({ capacity: 1, refillPerSecond: 0, now: Date.now })).toThrow(/refillPerSecond/);
  });
});
