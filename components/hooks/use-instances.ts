'use client';

import { useQuery } from '@tanstack/react-query';

import { instancesResponseSchema } from '@/lib/api/schemas';

import { fetchJson } from './api-client';
import { queryKeys } from './query-keys';
import { useAccess } from './use-session';

/**
 * The subwatch instances sharing this dedup store and each group's totals over them. Heartbeats
 * are written every 5 s (lib/instances/instance-heartbeat.ts), so polling faster shows nothing new.
 */
export const INSTANCES_POLL_MS = 5000;

export function useInstances() {
  const { canRead } = useAccess();
  return useQuery({
    queryKey: queryKeys.instances.all,
    queryFn: ({ signal }) => fetchJson('/api/instances', instancesResponseSchema, { signal }),
    enabled: canRead,
    refetchInterval: INSTANCES_POLL_MS,
  });
}
