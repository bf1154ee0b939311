import { getRuntime } from '@/server/registry';

import { requireRead } from '../../../_shared/auth';
import { handle, json } from '../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('GET /api/subscriptions/{stream}/{group}', async () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    return json(await service.getSubscription(ref));
  });
}
