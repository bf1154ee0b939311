import { heldQuerySchema } from '@/lib/api/schemas';
import { getRuntime } from '@/server/registry';

import { requireRead } from '../../../../_shared/auth';
import { handle, json, parseOrThrow } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * `?limit=1..100` → `{held, total}`: the deliveries this instance's subscriber holds, oldest first.
 * 409 when the group is not proxied here, 404 when it does not exist.
 */
export function GET(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('GET /api/subscriptions/{stream}/{group}/held', async () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    const limit = new URL(request.url).searchParams.get('limit');
    const query = parseOrThrow(heldQuerySchema, { limit: limit ?? undefined });
    return json(await service.listHeld({ ...ref, limit: query.limit }));
  });
}
