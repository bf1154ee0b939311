'use client';

import { useQuery } from '@tanstack/react-query';

import { epochsResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';
import { useLiveStatus } from './use-live-stream';
import { FALLBACK_POLL_MS } from './use-subscriptions';
import { useAccess } from './use-session';

/** Newest first. Invalidated by `event: epoch` on the live stream. */
export function useEpochs(stream: string, group: string, limit = 50) {
  const { canRead } = useAccess();
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.epochs.list(stream, group, limit),
    queryFn: ({ signal }) =>
      fetchJson(subscriptionPath(stream, group, `/epochs?limit=${limit}`), epochsResponseSchema, { signal }),
    enabled: canRead,
    // Counters of the open epoch change continuously but only epoch events are pushed.
    refetchInterval: live.state === 'open' ? 5000 : FALLBACK_POLL_MS,
  });
}
