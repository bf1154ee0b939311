// Relative imports: Vitest has no `@/` alias, and these helpers have unit tests.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { AuthSettings } from '../../../lib/api/service';
import { AppError } from '../../../lib/errors';

/** HttpOnly, SameSite=Strict session cookie set by `POST /api/auth/login`. */
export const SESSION_COOKIE = 'subwatch_session';
const SESSION_MAX_AGE_S = 7 * 24 * 60 * 60;

export type Principal = { kind: 'bearer' | 'session' } | { kind: 'anonymous' };

/**
 * The cookie carries HMAC-SHA256(token, label), never the token itself: a leaked cookie does not
 * reveal the admin token, and rotating the token invalidates every session.
 */
export function sessionValueFor(token: string): string {
  return createHmac('sha256', token).update('subwatch-session-v1').digest('base64url');
}

/** Constant-time string equality: compares fixed-length digests so length differences do not leak. */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function bearerToken(request: Request): string | null {
  const header = request.headers.get('authorization');
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
}

/** Who is calling: a valid bearer token, a valid session cookie, or nobody. Invalid credentials count as nobody. */
export function identify(request: Request, auth: AuthSettings): Principal {
  const bearer = bearerToken(request);
  if (bearer !== null && safeEqual(bearer, auth.token)) return { kind: 'bearer' };
  const cookie = readCookie(request, SESSION_COOKIE);
  if (cookie !== null && safeEqual(cookie, sessionValueFor(auth.token))) return { kind: 'session' };
  return { kind: 'anonymous' };
}

/**
 * True when `Origin` names this server. Browsers send `Origin` on every cross-site POST, so a
 * missing header on a cookie-authenticated mutation is rejected too (curl users use the bearer token).
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  const hosts = [request.headers.get('host'), request.headers.get('x-forwarded-host')].filter((h) => h !== null);
  try {
    return hosts.includes(new URL(origin).host);
  } catch {
    // Why: a malformed Origin is treated like a foreign one.
    return false;
  }
}

/** GET routes: open with `publicRead`, otherwise bearer or session. @throws AppError UNAUTHORIZED */
export function requireRead(request: Request, auth: AuthSettings): Principal {
  const principal = identify(request, auth);
  if (principal.kind === 'anonymous' && !auth.publicRead) {
    throw new AppError('UNAUTHORIZED', 'Log in or send "Authorization: Bearer <token>".');
  }
  return principal;
}

/**
 * Mutating routes: always authenticated; with the session cookie also same-origin (CSRF).
 * @throws AppError UNAUTHORIZED / FORBIDDEN
 */
export function requireWrite(request: Request, auth: AuthSettings): { kind: 'bearer' | 'session' } {
  const principal = identify(request, auth);
  if (principal.kind === 'anonymous') {
    throw new AppError('UNAUTHORIZED', 'Log in or send "Authorization: Bearer <token>".');
  }
  if (principal.kind === 'session' && !isSameOrigin(request)) {
    throw new AppError('FORBIDDEN', 'Cross-origin request refused: the Origin header must match this server.');
  }
  return principal;
}

/** A browser POST from another origin (login CSRF); requests without Origin (curl) are allowed. */
export function rejectCrossOrigin(request: Request): void {
  if (request.headers.get('origin') !== null && !isSameOrigin(request)) {
    throw new AppError('FORBIDDEN', 'Cross-origin request refused: the Origin header must match this server.');
  }
}

function isHttps(request: Request): boolean {
  const proto = request.headers.get('x-forwarded-proto');
  return proto === 'https' || new URL(request.url).protocol === 'https:';
}

export function sessionCookie(request: Request, token: string): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=${sessionValueFor(token)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_AGE_S}${secure}`;
}

export function clearedSessionCookie(request: Request): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`;
}

/** Audit name passed to service verbs. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : `admin (${principal.kind})`;
}
