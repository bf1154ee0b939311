import { replayRequestSchema } from '@/lib/api/schemas';
import { getRuntime } from '@/server/registry';

import { actorOf, requireWrite } from '../../../../_shared/auth';
import { enforceRateLimit } from '../../../../_shared/rate-limit';
import { handle, json, parseOrThrow, readJson } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Body `{stopAt?}` → 202 `{requested, parkedBefore}`: the server replays asynchronously. */
export function POST(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('POST /api/subscriptions/{stream}/{group}/replay', async () => {
    enforceRateLimit(request, 'mutation');
    const service = getRuntime();
    const principal = requireWrite(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    const body = parseOrThrow(replayRequestSchema, await readJson(request));
    const result = await service.replayParked({ ...ref, ...(body.stopAt === undefined ? {} : { stopAt: body.stopAt }), actor: actorOf(principal) });
    return json(result, 202);
  });
}
