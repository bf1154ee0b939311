import { epochsQuerySchema } from '@/lib/api/schemas';
import { getRuntime } from '@/server/registry';

import { requireRead } from '../../../../_shared/auth';
import { handle, json, parseOrThrow } from '../../../../_shared/respond';
import { parseSubscriptionParams, type SubscriptionRouteContext } from '../../../../_shared/subscription-params';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request, context: SubscriptionRouteContext): Promise<Response> {
  return handle('GET /api/subscriptions/{stream}/{group}/epochs', async () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const ref = await parseSubscriptionParams(context);
    const limit = new URL(request.url).searchParams.get('limit');
    const query = parseOrThrow(epochsQuerySchema, { limit: limit ?? undefined });
    return json({ epochs: await service.listEpochs({ ...ref, limit: query.limit }) });
  });
}
