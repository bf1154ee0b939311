export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Liveness: the process serves HTTP. Open (probes). */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
