import type { LiveEvent } from '@/lib/api/schemas';
import { createSseStream, SSE_HEADERS } from '@/lib/sse/create-sse-stream';
import type { SseFrame } from '@/lib/sse/encode-event';
import { getRuntime } from '@/server/registry';

import { requireRead } from '../_shared/auth';
import { handle } from '../_shared/respond';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

function toFrame(event: LiveEvent): SseFrame {
  return { kind: 'event', event: event.event, data: event.data };
}

/**
 * Server-Sent Events (DESIGN.md §8): on connect one `history` event (the kept snapshots of the
 * last minutes, bounded) and the latest `snapshot`, then each snapshot the runtime emits (~1 s),
 * `epoch` and `action` events, `: ping` every 15 s. A slow client only ever has the newest
 * snapshot pending (lib/sse/client-buffer.ts); the history is sent once, at connect.
 */
export function GET(request: Request): Promise<Response> {
  return handle('GET /api/live', () => {
    const service = getRuntime();
    requireRead(request, service.auth);
    const latest = service.getLatestSnapshot();
    const snapshots = service.getSnapshotHistory();
    const initial: SseFrame[] = [];
    if (snapshots.length > 0) initial.push(toFrame({ event: 'history', data: { snapshots } }));
    if (latest) initial.push(toFrame({ event: 'snapshot', data: latest }));
    const body = createSseStream({
      signal: request.signal,
      initial,
      subscribe: (push) => service.subscribeLive((event) => push(toFrame(event))),
      heartbeatMs: 15_000,
      latestOnly: ['snapshot'],
      maxQueued: 100,
      onClose: (reason, { dropped }) => {
        if (reason === 'write-failed' || dropped > 0) {
          console.warn(`[api] GET /api/live closed: ${reason}, ${dropped} frames coalesced or dropped`);
        }
      },
    });
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  });
}
