'use client';

import { useQuery } from '@tanstack/react-query';

import { heldResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';
import { useAccess } from './use-session';

/** A held delivery lives from a few milliseconds to the sink timeout plus a retry delay: poll often. */
export const HELD_POLL_MS = 2000;

/** The deliveries this instance's subscriber of a proxied group holds (`GET …/held`), oldest first. */
export function useHeld(stream: string, group: string, { proxied }: { proxied: boolean }) {
  const { canRead } = useAccess();
  return useQuery({
    queryKey: queryKeys.held.forGroup(stream, group),
    queryFn: ({ signal }) => fetchJson(subscriptionPath(stream, group, '/held'), heldResponseSchema, { signal }),
    // Only a proxied group has a subscriber here (the route answers 409 otherwise).
    enabled: canRead && proxied,
    refetchInterval: HELD_POLL_MS,
  });
}
