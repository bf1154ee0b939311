/**
 * Token buckets per key (client address): each key holds up to `capacity` tokens, refilled
 * continuously at `refillPerSecond`; a request takes one. Expected refusals are values, not throws.
 *
 * Memory is bounded: at most `maxKeys` buckets are kept; when full, the least recently used
 * bucket is forgotten (which at worst gives that client a fresh, full bucket).
 */
export interface RateLimiterOptions {
  capacity: number;
  refillPerSecond: number;
  /** Milliseconds clock (tests pass a fake). */
  now: () => number;
  /** Default 10_000. */
  maxKeys?: number;
}

export type RateLimitResult = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token if there is one. */
  take(key: string): RateLimitResult;
  /** Whether `take` would be allowed now, without taking anything. */
  peek(key: string): RateLimitResult;
}

interface Bucket {
  tokens: number;
  at: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { capacity, refillPerSecond, now } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!(capacity >= 1) || !(refillPerSecond > 0) || !(maxKeys >= 1)) {
    throw new Error('createRateLimiter: capacity must be ≥ 1, refillPerSecond > 0 and maxKeys ≥ 1');
  }
  const buckets = new Map<string, Bucket>();

  function tokensAt(key: string, at: number): number {
    const previous = buckets.get(key);
    const elapsedS = previous ? Math.max(0, at - previous.at) / 1000 : 0;
    return previous ? Math.min(capacity, previous.tokens + elapsedS * refillPerSecond) : capacity;
  }
  const refused = (tokens: number): RateLimitResult => ({
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)),
  });

  return {
    peek(key) {
      const tokens = tokensAt(key, now());
      return tokens >= 1 ? { allowed: true } : refused(tokens);
    },
    take(key) {
      const at = now();
      const tokens = tokensAt(key, at);
      // Re-insert so Map order is least recently used first.
      buckets.delete(key);
      if (buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value!);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at });
        return { allowed: true };
      }
      buckets.set(key, { tokens, at });
      return refused(tokens);
    },
  };
}
