'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { parkedResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';
import { FALLBACK_POLL_MS } from './use-subscriptions';
import { useAccess } from './use-session';

/**
 * One page of parked messages, oldest first (`from` null = the oldest visible). Parked streams
 * are not pushed over SSE: the page is polled, every second while a replay is being watched.
 */
export function useParked(stream: string, group: string, options: { from: number | null; limit: number; fast?: boolean }) {
  const { canRead } = useAccess();
  const { from, limit } = options;
  const query = new URLSearchParams({ limit: String(limit), ...(from === null ? {} : { from: String(from) }) });
  return useQuery({
    queryKey: queryKeys.parked.page(stream, group, from, limit),
    queryFn: ({ signal }) => fetchJson(subscriptionPath(stream, group, `/parked?${query.toString()}`), parkedResponseSchema, { signal }),
    enabled: canRead,
    // Paging keeps the old page on screen until the next one arrives (no layout jump).
    placeholderData: keepPreviousData,
    refetchInterval: options.fast ? 1000 : FALLBACK_POLL_MS,
  });
}
