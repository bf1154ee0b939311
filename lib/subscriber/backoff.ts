/**
 * Capped exponential backoff with jitter (STYLE.md §6). Pure: the random source is an argument,
 * so tests can pin it. State lives in the returned object only.
 */

export interface BackoffOptions {
  /** Delay before the first retry, in ms. Default 100. */
  initialMs?: number;
  /** Upper bound for any delay, in ms. Default 10_000. */
  maxMs?: number;
  /** Growth factor per consecutive failure. Default 2. */
  multiplier?: number;
  /**
   * Jitter as a fraction of the computed delay, in [0, 1]. Default 0.2: the delay is drawn
   * uniformly from [d·(1−jitter), d]. 0 gives deterministic delays.
   */
  jitter?: number;
}

export interface Backoff {
  /** Delay for the next attempt; every call counts as one more consecutive failure. */
  next(): number;
  /** Call after a success: the next delay starts again from `initialMs`. */
  reset(): void;
  /** Consecutive failures since the last reset. */
  readonly attempts: number;
}

const DEFAULTS: Required<BackoffOptions> = { initialMs: 100, maxMs: 10_000, multiplier: 2, jitter: 0.2 };

/**
 * Pure delay for the `attempt`-th consecutive failure (0-based), before jitter.
 * Invariant: `initialMs ≤ result ≤ maxMs` (when initialMs ≤ maxMs).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { initialMs, maxMs, multiplier } = { ...DEFAULTS, ...options };
  const raw = initialMs * Math.pow(multiplier, Math.max(0, attempt));
  return Math.min(maxMs, Number.isFinite(raw) ? raw : maxMs);
}

/** @throws Error when options are out of range (misuse fails fast). */
export function createBackoff(options: BackoffOptions = {}, random: () => number = Math.random): Backoff {
  const resolved = { ...DEFAULTS, ...options };
  const problems: string[] = [];
  if (!(resolved.initialMs >= 0)) problems.push('initialMs must be ≥ 0');
  if (!(resolved.maxMs >= resolved.initialMs)) problems.push('maxMs must be ≥ initialMs');
  if (!(resolved.multiplier >= 1)) problems.push('multiplier must be ≥ 1');
  if (!(resolved.jitter >= 0 && resolved.jitter <= 1)) problems.push('jitter must be in [0, 1]');
  if (problems.length > 0) throw new Error(`Invalid backoff options: ${problems.join('; ')}`);

  let attempts = 0;
  return {
    next() {
      const base = backoffDelay(attempts, resolved);
      attempts += 1;
      const factor = 1 - resolved.jitter * random();
      return Math.round(base * factor);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
