import { parkedQuerySchema } from '@/lib/api/schemas';
import { getRuntime } from '@/server/registry';

import { requireRead } from '../../../../_shared/auth';
import { handle, json, parseOrThrow } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** `?limit=1..500&from=<parked event number>` → `{total, first, next, parked}`, oldest first. */
export function GET(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('GET /api/subscriptions/{stream}/{group}/parked', async () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    const params = new URL(request.url).searchParams;
    const query = parseOrThrow(parkedQuerySchema, {
      limit: params.get('limit') ?? undefined,
      from: params.get('from') ?? undefined,
    });
    return json(await service.listParked({ ...ref, limit: query.limit, ...(query.from === undefined ? {} : { from: query.from }) }));
  });
}
