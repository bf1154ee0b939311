import { getRuntime } from '@/server/registry';

import { actorOf, requireWrite } from '../../../../_shared/auth';
import { enforceRateLimit } from '../../../../_shared/rate-limit';
import { handle, json } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** 202: the subscriber drops its connection and opens a new epoch. 409 when the group is not proxied. */
export function POST(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('POST /api/subscriptions/{stream}/{group}/reconnect', async () => {
    enforceRateLimit(request, 'mutation');
    const service = getRuntime();
    const principal = requireWrite(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    await service.reconnect({ ...ref, actor: actorOf(principal) });
    return json({ requested: true }, 202);
  });
}
