/**
 * Polls the server's persistent-subscription list once a second, joins it with the proxied
 * subscribers' counters, evaluates health and emits a SnapshotEvent (DESIGN.md §2 data flow).
 * A failed poll keeps the last known rows and sets `serverError`; it never throws out of the loop.
 */
import type { Logger } from 'pino';
import type { Epoch, SnapshotEvent, SubscriberSummary, SubscriptionSummary } from '../api/schemas';
import { evaluateHealth, HEALTH_WINDOW_MS, type Observation } from '../health/health-rules';
import { toServerView, type ServerView, type SubscriptionInfo } from './to-subscription-summary';

export interface ProxiedSubscriberView {
  summary: SubscriberSummary;
  /** The open (or last) epoch: health rules judge retries and duplicates per epoch. */
  currentEpoch?: Epoch | null;
  /** Server-side gap (events after the checkpoint) measured when the current epoch opened. */
  checkpointGapAtReconnect?: number | null;
}

export interface SubscriptionMonitorOptions {
  listInfos: () => Promise<SubscriptionInfo[]>;
  /** The groups this instance proxies (shown even when missing on the server). */
  listProxied: () => ReadonlyArray<{ stream: string; group: string }>;
  getProxied: (stream: string, group: string) => ProxiedSubscriberView | undefined;
  onSnapshot: (snapshot: SnapshotEvent) => void;
  logger: Logger;
  intervalMs?: number;
  now?: () => number;
}

export interface SubscriptionMonitor {
  start(): void;
  stop(): void;
  pollOnce(): Promise<SnapshotEvent>;
  getLatest(): SnapshotEvent | null;
  /** Whether the last poll reached the server (readiness). */
  isReachable(): boolean;
}

interface Tracked {
  history: Observation[];
  notLiveSince: number | null;
}

const keyOf = (stream: string, group: string) => `${stream}::${group}`;

export function createSubscriptionMonitor(options: SubscriptionMonitorOptions): SubscriptionMonitor {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 1000;
  const tracked = new Map<string, Tracked>();
  let latest: SnapshotEvent | null = null;
  let lastViews: ServerView[] = [];
  let reachable = false;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let loggedDown = false;

  async function pollOnce(): Promise<SnapshotEvent> {
    const at = now();
    let serverError: string | null = null;
    try {
      const infos = await options.listInfos();
      lastViews = infos.map(toServerView);
      reachable = true;
      if (loggedDown) options.logger.info('EventStoreDB reachable again');
      loggedDown = false;
    } catch (error) {
      reachable = false;
      serverError = describeError(error);
      if (!loggedDown) options.logger.warn({ err: error }, 'cannot list persistent subscriptions: %s', serverError);
      loggedDown = true;
    }
    const subscriptions = buildSummaries(at, serverError === null);
    latest = { ts: new Date(at).toISOString(), subscriptions, serverError };
    return latest;
  }

  function buildSummaries(at: number, fresh: boolean): SubscriptionSummary[] {
    const views = new Map(lastViews.map((v) => [keyOf(v.stream, v.group), v]));
    for (const p of options.listProxied()) {
      const key = keyOf(p.stream, p.group);
      if (!views.has(key) && fresh) views.set(key, missingView(p.stream, p.group));
    }
    const seen = new Set<string>();
    const out: SubscriptionSummary[] = [];
    for (const [key, view] of views) {
      seen.add(key);
      const t = tracked.get(key) ?? { history: [], notLiveSince: null };
      tracked.set(key, t);
      if (fresh) {
        t.history.push({
          at,
          lastKnown: view.lastKnownNumber,
          lastCheckpointed: view.lastCheckpointedNumber,
          behind: view.behind,
          parked: view.parked,
          slotsFull: view.slotsFull,
          ratePerSecond: view.ratePerSecond,
          connections: view.connections,
        });
        while (t.history.length > 0 && t.history[0]!.at < at - HEALTH_WINDOW_MS) t.history.shift();
      }
      const proxied = options.getProxied(view.stream, view.group);
      if (proxied) {
        if (proxied.summary.state === 'live') t.notLiveSince = null;
        else t.notLiveSince ??= at;
      }
      const health = evaluateHealth({
        now: at,
        history: t.history,
        subscriber: proxied && {
          state: proxied.summary.state,
          notLiveSince: t.notLiveSince,
          delivered: proxied.currentEpoch?.delivered ?? proxied.summary.delivered,
          retried: proxied.currentEpoch?.retried ?? 0,
          duplicatesSuppressed: proxied.currentEpoch?.duplicatesSuppressed ?? proxied.summary.duplicatesSuppressed,
          checkpointGapAtReconnect: proxied.checkpointGapAtReconnect ?? null,
        },
      });
      if (!fresh) health.reasons.unshift('Server unreachable: showing the last known values');
      if (view.status === 'NotFound') {
        health.level = 'failing';
        health.reasons.unshift('Group does not exist on the server');
      }
      out.push(
        toSubscriptionSummary(
          view,
          !fresh && health.level === 'healthy' ? { level: 'degraded', reasons: health.reasons } : health,
          proxied?.summary,
        ),
      );
    }
    for (const key of tracked.keys()) if (!seen.has(key)) tracked.delete(key);
    return out.sort((a, b) => a.stream.localeCompare(b.stream) || a.group.localeCompare(b.group));
  }

  function tick(): void {
    if (polling) return; // a slow server must not pile up polls
    polling = true;
    pollOnce()
      .then((snapshot) => options.onSnapshot(snapshot))
      .catch((error: unknown) => options.logger.error({ err: error }, 'subscription monitor tick failed'))
      .finally(() => {
        polling = false;
      });
  }

  return {
    start() {
      if (timer) return;
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    pollOnce,
    getLatest: () => latest,
    isReachable: () => reachable,
  };
}

/** One row of the overview: the server's view, its health, and the proxied subscriber's counters. */
export function toSubscriptionSummary(
  view: ServerView,
  health: SubscriptionSummary['health'],
  subscriber: SubscriberSummary | undefined,
): SubscriptionSummary {
  return {
    stream: view.stream,
    group: view.group,
    status: view.status,
    health,
    connections: view.connections,
    inFlight: view.inFlight,
    bufferSize: view.bufferSize,
    parked: view.parked,
    lastKnown: view.lastKnown,
    lastCheckpointed: view.lastCheckpointed,
    behind: view.behind,
    ratePerSecond: view.ratePerSecond,
    proxied: subscriber !== undefined,
    ...(subscriber ? { subscriber } : {}),
  };
}

function missingView(stream: string, group: string): ServerView {
  return {
    stream,
    group,
    status: 'NotFound',
    connections: 0,
    inFlight: 0,
    bufferSize: 0,
    parked: 0,
    lastKnown: null,
    lastCheckpointed: null,
    behind: null,
    ratePerSecond: 0,
    slotsFull: false,
    lastKnownNumber: null,
    lastCheckpointedNumber: null,
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
