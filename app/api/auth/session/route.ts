import { getRuntime } from '@/server/registry';

import { identify } from '../../_shared/auth';
import { handle, json } from '../../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Open: tells the UI whether to show data, a read-only view or the log-in screen. */
export function GET(request: Request): Promise<Response> {
  return handle('GET /api/auth/session', () => {
    const { auth } = getRuntime();
    return json({ authenticated: identify(request, auth).kind !== 'anonymous', publicRead: auth.publicRead });
  });
}
