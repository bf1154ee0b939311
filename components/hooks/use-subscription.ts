'use client';

import { useQuery } from '@tanstack/react-query';

import { subscriptionDetailSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';
import { useLiveStatus } from './use-live-stream';
import { FALLBACK_POLL_MS } from './use-subscriptions';
import { useAccess } from './use-session';

/** Summary + settings + connections of one group. The summary is kept live by snapshots. */
export function useSubscription(stream: string, group: string) {
  const { canRead } = useAccess();
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.subscriptions.detail(stream, group),
    queryFn: ({ signal }) => fetchJson(subscriptionPath(stream, group), subscriptionDetailSchema, { signal }),
    enabled: canRead,
    // Per-connection stats are not in snapshots: refresh them often enough to read as live.
    refetchInterval: live.state === 'open' ? 3_000 : FALLBACK_POLL_MS,
  });
}
