import { getRuntime } from '@/server/registry';

import { handle } from '../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Prometheus text exposition (DESIGN.md §9). Open like the probes: scrapers carry no session. */
export function GET(): Promise<Response> {
  return handle('GET /api/metrics', async () => {
    const { contentType, body } = await getRuntime().metrics();
    return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
  });
}
