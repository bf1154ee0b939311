'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';

import { parkResponseSchema } from '@/lib/api/schemas';

import { fetchJson, subscriptionPath } from './api-client';
import { queryKeys } from './query-keys';

/** `POST …/park`: parks a delivery subwatch's subscriber holds; 404 when it holds none with that id. */
export function usePark(stream: string, group: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { eventId: string; reason?: string }) =>
      fetchJson(subscriptionPath(stream, group, '/park'), parkResponseSchema, { method: 'POST', body: JSON.stringify(input) }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.parked.forGroup(stream, group) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.held.forGroup(stream, group) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.subscriptions.detail(stream, group) });
    },
  });
}
