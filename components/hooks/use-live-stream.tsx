'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { type z } from 'zod';

import {
  appendSnapshot,
  historyFromSnapshots,
  historyKey,
  mergeHistory,
  mergeHistoryByTime,
  restoreHistory,
  serializeHistory,
  type LiveHistory,
  type LiveSample,
} from '@/components/charts/live-history';
import {
  actionOutcomeSchema,
  epochEventSchema,
  historyEventSchema,
  snapshotEventSchema,
  type ActionOutcome,
  type SnapshotEvent,
  type SubscriptionDetail,
  type SubscriptionSummary,
} from '@/lib/api/schemas';

import { liveReconnectDelay } from './live-backoff';
import { HISTORY_STORAGE_KEY } from './live-history-storage';
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

/**
 * The recent snapshots per group (bounded: live-history.ts), fed by the live stream for the
 * sparklines and live charts. Outside react-query: it is a client-side time series, not a resource.
 */
export interface LiveHistoryStore {
  get(): LiveHistory;
  subscribe(listener: () => void): () => void;
  push(ts: string, subscriptions: SubscriptionSummary[]): void;
  /** Puts older samples (restored after a page reload) in front of what was received since. */
  restore(older: LiveHistory): void;
  /**
   * Merges the server's kept snapshots (`history` event, sent on every connect) by time with what
   * is held: a sample already held (same `t`) is not added again.
   */
  mergeServerHistory(snapshots: readonly SnapshotEvent[]): void;
}

export function createLiveHistoryStore(): LiveHistoryStore {
  let history: LiveHistory = new Map();
  const listeners = new Set<() => void>();
  return {
    get: () => history,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    push(ts, subscriptions) {
      history = appendSnapshot(history, ts, subscriptions);
      for (const listener of listeners) listener();
    },
    restore(older) {
      if (older.size === 0) return;
      history = mergeHistory(older, history);
      for (const listener of listeners) listener();
    },
    mergeServerHistory(snapshots) {
      if (snapshots.length === 0) return;
      history = mergeHistoryByTime(history, historyFromSnapshots(snapshots));
      for (const listener of listeners) listener();
    },
  };
}


/**
 * Keeps the live history across page reloads (sessionStorage: this tab only), so charts and
 * sparklines do not start empty after a reload: restored once on mount, saved when the page is
 * hidden or left.
 */
function usePersistedHistory(history: LiveHistoryStore, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return;
    let storage: Storage;
    try {
      storage = window.sessionStorage;
    } catch {
      // Storage disabled by the browser: the history just starts empty, as without this.
      return;
    }
    history.restore(restoreHistory(storage.getItem(HISTORY_STORAGE_KEY), Date.now()));
    const save = () => {
      try {
        storage.setItem(HISTORY_STORAGE_KEY, serializeHistory(history.get()));
      } catch {
        // Quota exceeded (very many groups): the next load starts empty; nothing else depends on it.
        storage.removeItem(HISTORY_STORAGE_KEY);
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') save();
    };
    window.addEventListener('pagehide', save);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', save);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [history, enabled]);
}

const LiveHistoryContext = createContext<LiveHistoryStore | null>(null);
const NO_SAMPLES: readonly LiveSample[] = [];
const EMPTY_HISTORY: LiveHistory = new Map();

/** The kept snapshots of one group, oldest first (empty until snapshots arrive). */
export function useLiveHistory(stream: string, group: string): readonly LiveSample[] {
  const store = useContext(LiveHistoryContext);
  const key = historyKey(stream, group);
  return useSyncExternalStore(
    store?.subscribe ?? noopSubscribe,
    () => store?.get().get(key) ?? NO_SAMPLES,
    () => NO_SAMPLES,
  );
}

/** The whole history map (for tables that render many groups). */
export function useLiveHistoryAll(): LiveHistory {
  const store = useContext(LiveHistoryContext);
  return useSyncExternalStore(store?.subscribe ?? noopSubscribe, () => store?.get() ?? EMPTY_HISTORY, () => EMPTY_HISTORY);
}

function noopSubscribe(): () => void {
  return () => undefined;
}

function applySnapshot(
  queryClient: QueryClient,
  history: LiveHistoryStore,
  raw: string,
): { ts: string; serverError: string | null } | null {
  const snapshot = parseFrame(snapshotEventSchema, raw, 'snapshot');
  if (!snapshot) return null;
  const { subscriptions, ts, serverError } = snapshot;
  history.push(ts, subscriptions);
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
export function useLiveStream(enabled: boolean, history: LiveHistoryStore): LiveStatus {
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
      // Sent once per connection, before the first snapshot: the last minutes, so charts start full.
      source.addEventListener('history', (event) => {
        const parsed = parseFrame(historyEventSchema, (event as MessageEvent<string>).data, 'history');
        if (parsed) history.mergeServerHistory(parsed.snapshots);
      });
      source.addEventListener('snapshot', (event) => {
        const applied = applySnapshot(queryClient, history, (event as MessageEvent<string>).data);
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
  }, [enabled, queryClient, history]);

  return enabled ? status : { ...status, state: 'idle' };
}

/** Opens the live stream once for the whole app, when the visitor may read. */
export function LiveStreamProvider({ children }: { children: ReactNode }) {
  const { canRead } = useAccess();
  const [history] = useState(createLiveHistoryStore);
  usePersistedHistory(history, canRead);
  const status = useLiveStream(canRead, history);
  return (
    <LiveHistoryContext.Provider value={history}>
      <LiveStatusContext.Provider value={status}>{children}</LiveStatusContext.Provider>
    </LiveHistoryContext.Provider>
  );
}

export function useLiveStatus(): LiveStatus {
  return useContext(LiveStatusContext);
}
