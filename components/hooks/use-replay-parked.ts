'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { replayResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';

/** `POST …/replay` with an optional absolute, exclusive `stopAt`; 202 `{requested, parkedBefore}`. */
export function useReplayParked(stream: string, group: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { stopAt?: number }) =>
      fetchJson(subscriptionPath(stream, group, '/replay'), replayResponseSchema, { method: 'POST', body: JSON.stringify(input) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.parked.forGroup(stream, group) });
    },
  });
}
