import { getRuntime } from '@/server/registry';

import { requireRead } from '../_shared/auth';
import { handle, json } from '../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

export function GET(request: Request): Promise<Response> {
  return handle('GET /api/instances', async () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    return json(await service.listInstances());
  });
}
