'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { type z } from 'zod';

import {
  actionOutcomeSchema,
  epochEventSchema,
  snapshotEventSchema,
  type ActionOutcome,
  type SubscriptionDetail,
} from '@/lib/api/schemas';

import { liveReconnectDelay } from './live-backoff';
import { queryKeys } from './query-keys';
import { useAccess } from './use-session';

export type LiveState = 'idle' | 'connecting' | 'open' | 'reconnecting';

export interface LiveStatus {
  state: LiveState;
  /** Time of the last snapshot received (ISO), for "updated 3 s ago". */
  lastSnapshotAt: string | null;
  /** Set when the runtime's last poll of EventStoreDB failed; the data shown is then the last known. */
  serverError: string | null;
  /** The latest park/replay/reconnect outcome pushed by the server. */
  lastAction: ActionOutcome | null;
  /** The most recent action outcomes (newest first, at most RECENT_ACTIONS). */
  recentActions: ActionOutcome[];
}

const RECENT_ACTIONS = 20;

const initialStatus: LiveStatus = { state: 'idle', lastSnapshotAt: null, serverError: null, lastAction: null, recentActions: [] };
const LiveStatusContext = createContext<LiveStatus>(initialStatus);

/** Parses one SSE data field against its schema; a malformed frame is logged and skipped, never thrown. */
function parseFrame<T extends z.ZodType>(schema: T, raw: string, event: string): z.infer<T> | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    console.warn(`[live] ignoring a ${event} event that is not JSON`);
    return null;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    console.warn(`[live] ignoring a ${event} event that does not match the contract`, parsed.error.issues);
    return null;
  }
  return parsed.data;
}

function applySnapshot(queryClient: QueryClient, raw: string): { ts: string; serverError: string | null } | null {
  const snapshot = parseFrame(snapshotEventSchema, raw, 'snapshot');
  if (!snapshot) return null;
  const { subscriptions, ts, serverError } = snapshot;
  queryClient.setQueryData(queryKeys.subscriptions.list(), { subscriptions });
  // Detail pages show the same summary: keep their header counters live too.
  for (const summary of subscriptions) {
    queryClient.setQueryData<SubscriptionDetail>(queryKeys.subscriptions.detail(summary.stream, summary.group), (old) =>
      old ? { ...old, summary } : old,
    );
  }
  return { ts, serverError };
}

/**
 * The one EventSource of the app (`/api/live`), opened once by the provider. Snapshots go into
 * the react-query cache (`setQueryData`), epoch events invalidate that group's epochs. On error it
 * reconnects with backoff and marks cached data stale so hooks fall back to polling meanwhile.
 */
export function useLiveStream(enabled: boolean): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>(initialStatus);

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let stopped = false;

    const connect = () => {
      setStatus((s) => ({ ...s, state: attempt === 0 ? 'connecting' : 'reconnecting' }));
      source = new EventSource('/api/live');
      source.addEventListener('open', () => {
        attempt = 0;
        setStatus((s) => ({ ...s, state: 'open' }));
      });
      source.addEventListener('snapshot', (event) => {
        const applied = applySnapshot(queryClient, (event as MessageEvent<string>).data);
        if (applied) setStatus((s) => ({ ...s, state: 'open', lastSnapshotAt: applied.ts, serverError: applied.serverError }));
      });
      source.addEventListener('epoch', (event) => {
        const parsed = parseFrame(epochEventSchema, (event as MessageEvent<string>).data, 'epoch');
        if (!parsed) return;
        const { stream, group } = parsed;
        void queryClient.invalidateQueries({ queryKey: queryKeys.epochs.forGroup(stream, group) });
        void queryClient.invalidateQueries({ queryKey: queryKeys.subscriptions.detail(stream, group) });
      });
      source.addEventListener('action', (event) => {
        const parsed = parseFrame(actionOutcomeSchema, (event as MessageEvent<string>).data, 'action');
        if (!parsed) return;
        setStatus((s) => ({ ...s, lastAction: parsed, recentActions: [parsed, ...s.recentActions].slice(0, RECENT_ACTIONS) }));
        // A park or replay changes the parked stream: refetch what is shown of it.
        void queryClient.invalidateQueries({ queryKey: queryKeys.parked.forGroup(parsed.stream, parsed.group) });
      });
      source.addEventListener('error', () => {
        source?.close();
        source = null;
        if (stopped) return;
        // Mark (not refetch) everything stale: hooks poll while the stream is down.
        void queryClient.invalidateQueries({ queryKey: queryKeys.subscriptions.all, refetchType: 'none' });
        // A 401 looks like any other error to EventSource: re-check the session.
        void queryClient.invalidateQueries({ queryKey: queryKeys.session });
        setStatus((s) => ({ ...s, state: 'reconnecting' }));
        retryTimer = setTimeout(connect, liveReconnectDelay(attempt));
        attempt += 1;
      });
    };

    connect();
    return () => {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      source?.close();
    };
  }, [enabled, queryClient]);

  return enabled ? status : { ...status, state: 'idle' };
}

/** Opens the live stream once for the whole app, when the visitor may read. */
export function LiveStreamProvider({ children }: { children: ReactNode }) {
  const { canRead } = useAccess();
  const status = useLiveStream(canRead);
  return <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>;
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
