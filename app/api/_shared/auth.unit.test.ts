import { describe, expect, it } from 'vitest';

import { identify, isSameOrigin, requireRead, requireWrite, SESSION_COOKIE, safeEqual, sessionCookie, sessionValueFor } from './auth';

const TOKEN = 'admin-token-0123456789';
const auth = { token: TOKEN, publicRead: false };
const BASE = 'http://127.0.0.1:3000';

function request(headers: Record<string, string> = {}, method = 'GET'): Request {
  return new Request(`${BASE}/api/subscriptions`, { method, headers: { host: '127.0.0.1:3000', ...headers } });
}
const sessionHeader = { cookie: `other=1; ${SESSION_COOKIE}=${sessionValueFor(TOKEN)}` };

describe('auth', () => {
  it('derives the session cookie value from the token without containing it', () => {
    const value = sessionValueFor(TOKEN);
    expect(value).not.toContain(TOKEN);
    expect(value).toBe(sessionValueFor(TOKEN));
    expect(value).not.toBe(sessionValueFor(`${TOKEN}x`));
  });

  it('compares secrets of different lengths without throwing', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
    expect(safeEqual('', TOKEN)).toBe(false);
  });

  it('accepts a bearer token or the session cookie, and nothing else', () => {
    expect(identify(request({ authorization: `Bearer ${TOKEN}` }), auth).kind).toBe('bearer');
    expect(identify(request(sessionHeader), auth).kind).toBe('session');
    expect(identify(request({ authorization: 'Bearer wrong' }), auth).kind).toBe('anonymous');
    expect(identify(request({ cookie: `${SESSION_COOKIE}=${TOKEN}` }), auth).kind).toBe('anonymous');
    expect(identify(request(), auth).kind).toBe('anonymous');
  });

  it('rejects anonymous reads unless public read is on', () => {
    expect(() => requireRead(request(), auth)).toThrow(expect.objectContaining({ code: 'UNAUTHORIZED' }));
    expect(requireRead(request(), { ...auth, publicRead: true }).kind).toBe('anonymous');
  });

  it('always requires credentials to write, even with public read', () => {
    expect(() => requireWrite(request({}, 'POST'), { ...auth, publicRead: true })).toThrow(
      expect.objectContaining({ code: 'UNAUTHORIZED' }),
    );
  });

  it('requires a same-origin Origin header for cookie-authenticated writes (CSRF)', () => {
    expect(() => requireWrite(request(sessionHeader, 'POST'), auth)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => requireWrite(request({ ...sessionHeader, origin: 'http://evil.example' }, 'POST'), auth)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(requireWrite(request({ ...sessionHeader, origin: BASE }, 'POST'), auth).kind).toBe('session');
    // Bearer tokens are not ambient credentials: no Origin needed (curl, scripts).
    expect(requireWrite(request({ authorization: `Bearer ${TOKEN}` }, 'POST'), auth).kind).toBe('bearer');
  });

  it('treats a malformed or opaque Origin as foreign', () => {
    expect(isSameOrigin(request({ origin: 'null' }))).toBe(false);
    expect(isSameOrigin(request({ origin: 'not a url' }))).toBe(false);
    expect(isSameOrigin(request({ origin: 'http://127.0.0.1:3001' }))).toBe(false);
  });

  it('sets an HttpOnly, SameSite=Strict, Path=/ cookie, Secure only over https', () => {
    const cookie = sessionCookie(request(), TOKEN);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(sessionCookie(request({ 'x-forwarded-proto': 'https' }), TOKEN)).toContain('Secure');
  });
});
