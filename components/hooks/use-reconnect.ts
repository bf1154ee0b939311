'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { reconnectResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';

/** `POST …/reconnect`: the subscriber drops its connection and opens a new epoch. */
export function useReconnect(stream: string, group: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson(subscriptionPath(stream, group, '/reconnect'), reconnectResponseSchema, { method: 'POST' }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.epochs.forGroup(stream, group) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.subscriptions.detail(stream, group) });
    },
  });
}
