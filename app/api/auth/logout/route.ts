import { clearedSessionCookie, rejectCrossOrigin } from '../../_shared/auth';
import { handle, json } from '../../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function POST(request: Request): Promise<Response> {
  return handle('POST /api/auth/logout', () => {
    rejectCrossOrigin(request);
    return json({ authenticated: false }, 200, { 'set-cookie': clearedSessionCookie(request) });
  });
}
