import { getRuntime } from '@/server/registry';

import { json } from '../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Readiness: 200 when ESDB is reachable and stores are open, else 503 with reasons. Open (probes). */
export async function GET(): Promise<Response> {
  let result: { ready: boolean; reasons: string[] };
  try {
    result = await getRuntime().readiness();
  } catch (error) {
    result = { ready: false, reasons: [error instanceof Error ? error.message : 'runtime unavailable'] };
  }
  return json({ status: result.ready ? 'ready' : 'not-ready', reasons: result.reasons }, result.ready ? 200 : 503);
}
