'use client';

import { useQuery } from '@tanstack/react-query';

import { subscriptionsResponseSchema } from '@/lib/api/schemas';

import { fetchJson } from './api-client';
import { queryKeys } from './query-keys';
import { useLiveStatus } from './use-live-stream';
import { useAccess } from './use-session';

/** Poll interval while the live stream is down; snapshots replace polling when it is up. */
export const FALLBACK_POLL_MS = 5000;

export function useSubscriptions() {
  const { canRead } = useAccess();
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.subscriptions.list(),
    queryFn: ({ signal }) => fetchJson('/api/subscriptions', subscriptionsResponseSchema, { signal }),
    enabled: canRead,
    refetchInterval: live.state === 'open' ? false : FALLBACK_POLL_MS,
  });
}
