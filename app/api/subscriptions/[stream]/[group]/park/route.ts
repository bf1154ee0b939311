import { parkRequestSchema } from '@/lib/api/schemas';
import { getRuntime } from '@/server/registry';

import { actorOf, requireWrite } from '../../../../_shared/auth';
import { enforceRateLimit } from '../../../../_shared/rate-limit';
import { handle, json, parseOrThrow, readJson } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Body `{eventId, reason?}` → 200 `{parked: true}`, or 404 when no such delivery is held here. */
export function POST(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('POST /api/subscriptions/{stream}/{group}/park', async () => {
    enforceRateLimit(request, 'mutation');
    const service = getRuntime();
    const principal = requireWrite(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    const body = parseOrThrow(parkRequestSchema, await readJson(request));
    await service.park({ ...ref, eventId: body.eventId, ...(body.reason ? { reason: body.reason } : {}), actor: actorOf(principal) });
    return json({ parked: true });
  });
}
