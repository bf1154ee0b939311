import { loginRequestSchema } from '@/lib/api/schemas';
import { AppError } from '@/lib/errors';
import { getRuntime } from '@/server/registry';

import { rejectCrossOrigin, safeEqual, sessionCookie } from '../../_shared/auth';
import { chargeRateLimit, enforceRateLimit } from '../../_shared/rate-limit';
import { handle, json, parseOrThrow, readJson } from '../../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** `{token}` → session cookie (HttpOnly, SameSite=Strict, value derived from the token). */
export function POST(request: Request): Promise<Response> {
  return handle('POST /api/auth/login', async () => {
    // Only failed attempts count: a scanner is slowed down, a real operator never is.
    enforceRateLimit(request, 'login', { charge: false });
    rejectCrossOrigin(request);
    const { token } = parseOrThrow(loginRequestSchema, await readJson(request));
    const { auth } = getRuntime();
    if (!safeEqual(token, auth.token)) {
      chargeRateLimit(request, 'login');
      throw new AppError('UNAUTHORIZED', 'That token is not valid for this server.');
    }
    return json({ authenticated: true, publicRead: auth.publicRead }, 200, { 'set-cookie': sessionCookie(request, auth.token) });
  });
}
