'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { sessionResponseSchema, type SessionResponse } from '@/lib/api/schemas';

import { fetchJson } from './api-client';
import { forgetLiveHistory } from './live-history-storage';
import { queryKeys } from './query-keys';

export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => fetchJson('/api/auth/session', sessionResponseSchema, { signal }),
    staleTime: 60_000,
  });
}

/** What the current visitor may do, derived from the session answer. */
export function useAccess(): { loading: boolean; canRead: boolean; canWrite: boolean; session?: SessionResponse; error: unknown } {
  const session = useSession();
  const data = session.data;
  return {
    loading: session.isPending,
    canRead: !!data && (data.authenticated || data.publicRead),
    canWrite: !!data?.authenticated,
    session: data,
    // A failed re-check keeps the last known answer (the server may just be restarting).
    error: data ? null : session.error,
  };
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: string) =>
      fetchJson('/api/auth/login', sessionResponseSchema, { method: 'POST', body: JSON.stringify({ token }) }),
    onSuccess: async (session) => {
      // A session check sent before the cookie existed may still be in flight: its
      // "anonymous" answer must not overwrite this one.
      await queryClient.cancelQueries({ queryKey: queryKeys.session });
      queryClient.setQueryData(queryKeys.session, session);
      void queryClient.invalidateQueries({ queryKey: queryKeys.subscriptions.all });
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await fetch('/api/auth/logout', { method: 'POST', credentials: 'same-origin' });
    },
    onSettled: () => {
      // Nothing read with the old session stays on screen.
      queryClient.removeQueries({ queryKey: queryKeys.subscriptions.all });
      queryClient.removeQueries({ queryKey: queryKeys.epochs.all });
      queryClient.removeQueries({ queryKey: queryKeys.instances.all });
      forgetLiveHistory();
      void queryClient.invalidateQueries({ queryKey: queryKeys.session });
    },
  });
}
