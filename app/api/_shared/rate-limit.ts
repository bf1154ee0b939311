// Relative imports: Vitest runs these helpers without the Next bundler.
import { CLIENT_ADDRESS_HEADER } from '../../../lib/http/client-address';
import { createRateLimiter, type RateLimiter } from '../../../lib/http/rate-limiter';
import { AppError } from '../../../lib/errors';

export type RateLimitKind = 'login' | 'mutation';

/**
 * Per client address. Login: a burst of 10 failed attempts, then one every 5 s (successful logins
 * are not counted, so an operator or a test suite logging in often is never locked out) (a guessed token is
 * hopeless anyway; this keeps a scanner from hammering the comparison). Mutations: a burst of 30,
 * then 2 per second — far above what an operator clicks, low enough to stop a runaway script.
 * Behind a reverse proxy every client shares the proxy's address and so shares these buckets.
 */
export const RATE_LIMITS: Readonly<Record<RateLimitKind, { capacity: number; refillPerSecond: number }>> = {
  login: { capacity: 10, refillPerSecond: 0.2 },
  mutation: { capacity: 30, refillPerSecond: 2 },
};

// Route handlers are separate bundles with their own module instances: the buckets live on
// globalThis so that all routes of one kind share them (the runtime registry does the same).
const KEY = Symbol.for('subwatch.rate-limiters');
type Holder = { [KEY]?: Record<RateLimitKind, RateLimiter> };

function limiters(): Record<RateLimitKind, RateLimiter> {
  const holder = globalThis as Holder;
  holder[KEY] ??= {
    login: createRateLimiter({ ...RATE_LIMITS.login, now: Date.now }),
    mutation: createRateLimiter({ ...RATE_LIMITS.mutation, now: Date.now }),
  };
  return holder[KEY];
}

/** Counts one failed attempt (e.g. a wrong login token) against the calling address. */
export function chargeRateLimit(request: Request, kind: RateLimitKind): void {
  limiters()[kind].take(request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown');
}

/**
 * Takes one token of `kind` for the calling address (`charge: false` only checks that one is left). Call it first in every login and mutating
 * route: `enforceRateLimit(request, 'mutation');`
 * @throws AppError RATE_LIMITED (→ 429 with Retry-After) when the bucket is empty.
 */
export function enforceRateLimit(request: Request, kind: RateLimitKind, options: { charge: boolean } = { charge: true }): void {
  const address = request.headers.get(CLIENT_ADDRESS_HEADER) ?? 'unknown';
  const result = options.charge ? limiters()[kind].take(address) : limiters()[kind].peek(address);
  if (!result.allowed) {
    throw new AppError('RATE_LIMITED', `Too many ${kind} requests from this address; retry in ${result.retryAfterSeconds} s.`, {
      retryAfterSeconds: result.retryAfterSeconds,
    });
  }
}
