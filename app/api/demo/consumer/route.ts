import { AppError } from '@/lib/errors';
import { getRuntime } from '@/server/registry';

import { requireRead } from '../../_shared/auth';
import { handle, json } from '../../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Demo mode only: what the demo sink has seen. 404 outside demo mode. */
export function GET(request: Request): Promise<Response> {
  return handle('GET /api/demo/consumer', () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const stats = service.getDemoConsumer();
    if (stats === null) throw new AppError('NOT_FOUND', 'Demo mode is off (SUBWATCH_DEMO=0).');
    return json(stats);
  });
}
