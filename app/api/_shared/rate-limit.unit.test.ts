import { beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../../lib/errors';
import { CLIENT_ADDRESS_HEADER } from '../../../lib/http/client-address';
import { chargeRateLimit, enforceRateLimit, RATE_LIMITS } from './rate-limit';
import { errorResponse, handle } from './respond';

const from = (address: string) =>
  new Request('http://127.0.0.1:3000/api/auth/login', { method: 'POST', headers: { [CLIENT_ADDRESS_HEADER]: address } });

beforeEach(() => {
  // Fresh buckets per test: the helper keeps them on globalThis (shared across route bundles).
  delete (globalThis as Record<symbol, unknown>)[Symbol.for('subwatch.rate-limiters')];
});

describe('enforceRateLimit', () => {
  it('lets a burst of logins through, then answers 429 with Retry-After and the standard error body', async () => {
    for (let i = 0; i < RATE_LIMITS.login.capacity; i++) enforceRateLimit(from('10.0.0.1'), 'login');
    const response = await handle('POST /api/auth/login', () => {
      enforceRateLimit(from('10.0.0.1'), 'login');
      return new Response('not reached');
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/retry in 5 s/);
  });

  it('keeps separate buckets per client address and per kind', () => {
    for (let i = 0; i < RATE_LIMITS.login.capacity; i++) enforceRateLimit(from('10.0.0.1'), 'login');
    expect(() => enforceRateLimit(from('10.0.0.1'), 'login')).toThrow(/Too many login requests/);
    expect(() => enforceRateLimit(from('10.0.0.2'), 'login')).not.toThrow();
    expect(() => enforceRateLimit(from('10.0.0.1'), 'mutation')).not.toThrow();
  });

  it('counts only failed logins: checking without charging never exhausts the bucket', () => {
    for (let i = 0; i < RATE_LIMITS.login.capacity * 3; i++) enforceRateLimit(from('10.0.0.3'), 'login', { charge: false });
    for (let i = 0; i < RATE_LIMITS.login.capacity; i++) chargeRateLimit(from('10.0.0.3'), 'login');
    expect(() => enforceRateLimit(from('10.0.0.3'), 'login', { charge: false })).toThrow(/Too many login requests/);
  });

  it('adds no Retry-After header to other errors', () => {
    expect(errorResponse(new AppError('NOT_FOUND', 'gone'), 'test').headers.get('retry-after')).toBeNull();
  });
});
