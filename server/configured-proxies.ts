/**
 * The proxies of `subwatch.config.json` (DESIGN.md §5): per entry, the group is created when it
 * is missing and `createIfMissing` is set (retried in the background while the server is
 * unreachable), and a deduplicating subscriber with a webhook sink is started. A group that is
 * missing without `createIfMissing` is never created: its subscriber stays in `backoff` and the
 * dashboard shows the group as missing until someone creates it.
 */
import {
  END,
  START,
  UNBOUNDED,
  eventTypeFilter,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  streamNameFilter,
  type EventStoreDBClient,
  type PersistentSubscriptionToStreamSettings,
} from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { Epoch, LiveEvent } from '../lib/api/schemas';
import type { SubscriptionRef } from '../lib/api/service';
import { PROXY_DEFAULTS, type AllFilter, type CreateIfMissing, type ProxyConfig } from '../lib/config/proxies-schema';
import type { DedupStore } from '../lib/dedup/dedup-store';
import { describeError } from '../lib/esdb/esdb-subscription-source';
import { createBackoff } from '../lib/subscriber/backoff';
import {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
  type DeduplicatingSubscriberOptions,
} from '../lib/subscriber/deduplicating-subscriber';
import { delay, withDeadline } from '../lib/subscriber/timers';
import { createWebhookSink, redactUrl } from '../lib/subscriber/webhook-sink';

/**
 * How long SIGTERM waits for in-flight sink calls of a configured proxy before cancelling (their
 * keys stay undone and unacked: the server redelivers them). Below the shutdown manager's 10 s
 * step deadline so the rest of the runtime (store close) still runs.
 */
export const PROXY_STOP_TIMEOUT_MS = 8_000;
/** At boot, how long a subscriber waits for its group's creation before it starts anyway. */
const CREATE_WAIT_MS = 5_000;

export interface ConfiguredProxy {
  ref: SubscriptionRef;
  subscriber: DeduplicatingSubscriber;
}

export interface ConfiguredProxies {
  proxied: ConfiguredProxy[];
  /** Stops every subscriber in parallel (each drains its in-flight sink calls), then the creators. */
  stop(): Promise<void>;
}

export async function startConfiguredProxies(options: {
  proxies: readonly ProxyConfig[];
  client: EventStoreDBClient;
  store: DedupStore;
  logger: Logger;
  emit: (event: LiveEvent) => void;
  /** Wraps the subscriber options (metrics). */
  instrument?: (options: DeduplicatingSubscriberOptions) => DeduplicatingSubscriberOptions;
  stopTimeoutMs?: number;
}): Promise<ConfiguredProxies> {
  const { client, store, emit } = options;
  const stopController = new AbortController();
  const creators: Array<Promise<void>> = [];
  const proxied: ConfiguredProxy[] = [];

  const started = options.proxies.map(async (proxy) => {
    const ref = { stream: proxy.stream, group: proxy.group };
    const log = options.logger.child({ component: 'proxy', stream: proxy.stream, group: proxy.group });
    if (proxy.createIfMissing) {
      const created = ensureGroup(client, proxy, proxy.createIfMissing, log, stopController.signal);
      creators.push(created);
      // Normally instant; when the server is down the subscriber starts anyway and backs off.
      await withDeadline(created, CREATE_WAIT_MS);
    } else {
      void warnIfMissing(client, ref, log);
    }
    const subscriberOptions: DeduplicatingSubscriberOptions = {
      client,
      stream: proxy.stream,
      group: proxy.group,
      bufferSize: proxy.bufferSize,
      dedupKey: proxy.dedup.key,
      store,
      logger: options.logger.child({ component: 'subscriber', stream: proxy.stream, group: proxy.group }),
      sink: createWebhookSink({
        url: proxy.sink.url,
        timeoutMs: proxy.sink.timeoutMs,
        headers: proxy.sink.headers,
        logger: options.logger.child({ component: 'sink', stream: proxy.stream, group: proxy.group }),
      }),
      stopTimeoutMs: options.stopTimeoutMs ?? PROXY_STOP_TIMEOUT_MS,
      onEpoch: (epoch: Epoch) => emit({ event: 'epoch', data: { ...ref, epoch } }),
    };
    const subscriber = createDeduplicatingSubscriber(options.instrument ? options.instrument(subscriberOptions) : subscriberOptions);
    subscriber.start();
    proxied.push({ ref, subscriber });
    log.info({ sink: redactedSink(proxy), dedupKey: proxy.dedup.key, retention: proxy.dedup.retention }, 'proxying subscription');
  });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      stopController.abort();
      await Promise.allSettled(started);
      await Promise.all(proxied.map((p) => p.subscriber.stop()));
      await Promise.allSettled(creators);
    })());

  const results = await Promise.allSettled(started);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  // File order, not start order: the dashboard and logs list them as configured.
  const order = new Map(options.proxies.map((p, i) => [`${p.stream}::${p.group}`, i]));
  proxied.sort((a, b) => order.get(`${a.ref.stream}::${a.ref.group}`)! - order.get(`${b.ref.stream}::${b.ref.group}`)!);
  return { proxied, stop };
}

/**
 * The retention the (store-wide) pruner uses: the longest of all proxies' `dedup.retention`
 * (and the 7-day default when the demo runs or nothing is configured). Keeping a key longer than
 * its proxy asked never lets a duplicate through; pruning it earlier could.
 */
export function toPruneRetentionMs(proxies: readonly ProxyConfig[], defaultMs: number, includeDefault: boolean): number {
  const all = proxies.map((p) => p.dedup.retentionMs);
  if (includeDefault || all.length === 0) all.push(defaultMs);
  return Math.max(...all);
}

/** Margin of a claim's lease over the longest sink call (claim → sink → complete must fit in it). */
export const CLAIM_LEASE_MARGIN_MS = 10_000;

/**
 * How long other instances respect a claim in a shared store: the longest sink timeout of the
 * proxies (the default sink timeout for the demo's in-process sinks, or when nothing is
 * configured) plus a margin. Long enough that a live claim never runs out during its sink call;
 * short enough that the keys a dead instance held are taken over after a few nack rounds (one
 * per bounded claim wait, 5 s), well before the server parks them at `maxRetryCount` (default 10).
 */
export function toClaimLeaseMs(proxies: readonly ProxyConfig[], includeDefault: boolean): number {
  const all = proxies.map((p) => p.sink.timeoutMs);
  if (includeDefault || all.length === 0) all.push(PROXY_DEFAULTS.sinkTimeoutMs);
  return Math.max(...all) + CLAIM_LEASE_MARGIN_MS;
}

/** Creates the group unless it exists; retries with backoff while the server is unreachable. */
async function ensureGroup(
  client: EventStoreDBClient,
  proxy: ProxyConfig,
  create: CreateIfMissing,
  log: Logger,
  signal: AbortSignal,
): Promise<void> {
  const backoff = createBackoff({ initialMs: 500, maxMs: 10_000 });
  while (!signal.aborted) {
    try {
      if (proxy.stream === '$all') {
        await client.createPersistentSubscriptionToAll(
          proxy.group,
          persistentSubscriptionToAllSettingsFromDefaults({
            ...toGenericSettings(create),
            startFrom: create.startFrom === 'start' ? START : END,
          }),
          proxy.filter ? { filter: toClientFilter(proxy.filter) } : {},
        );
      } else {
        await client.createPersistentSubscriptionToStream(
          proxy.stream,
          proxy.group,
          persistentSubscriptionToStreamSettingsFromDefaults({
            ...toGenericSettings(create),
            startFrom: create.startFrom === 'start' ? START : create.startFrom === 'end' ? END : create.startFrom,
          }),
        );
      }
      log.info({ startFrom: String(create.startFrom) }, 'created the missing persistent subscription group (createIfMissing)');
      return;
    } catch (error) {
      if ((error as { type?: string }).type === 'persistent-subscription-exists') {
        log.debug('group exists; createIfMissing not needed');
        return;
      }
      const delayMs = backoff.next();
      log.warn({ delayMs, attempt: backoff.attempts }, `could not create the group (createIfMissing): ${describeError(error)}; retrying`);
      await delay(delayMs, signal);
    }
  }
}

/** One readable line when a group without createIfMissing is missing (its subscriber backs off). */
async function warnIfMissing(client: EventStoreDBClient, ref: SubscriptionRef, log: Logger): Promise<void> {
  try {
    if (ref.stream === '$all') await client.getPersistentSubscriptionToAllInfo(ref.group);
    else await client.getPersistentSubscriptionToStreamInfo(ref.stream, ref.group);
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'persistent-subscription-does-not-exist' || type === 'not-found') {
      log.warn('the group does not exist and createIfMissing is not set: the subscriber waits (backoff) until it is created');
    } else {
      // Server unreachable or similar: the subscriber and the monitor report it themselves.
      log.debug({ err: error }, 'could not check whether the group exists');
    }
  }
}

function toGenericSettings(create: CreateIfMissing): Partial<Omit<PersistentSubscriptionToStreamSettings, 'startFrom'>> {
  const settings: Partial<Omit<PersistentSubscriptionToStreamSettings, 'startFrom'>> = {};
  if (create.resolveLinkTos !== undefined) settings.resolveLinkTos = create.resolveLinkTos;
  if (create.extraStatistics !== undefined) settings.extraStatistics = create.extraStatistics;
  if (create.messageTimeoutMs !== undefined) settings.messageTimeout = create.messageTimeoutMs;
  if (create.maxRetryCount !== undefined) settings.maxRetryCount = create.maxRetryCount;
  if (create.checkPointAfterMs !== undefined) settings.checkPointAfter = create.checkPointAfterMs;
  if (create.checkPointLowerBound !== undefined) settings.checkPointLowerBound = create.checkPointLowerBound;
  if (create.checkPointUpperBound !== undefined) settings.checkPointUpperBound = create.checkPointUpperBound;
  if (create.maxSubscriberCount !== undefined) settings.maxSubscriberCount = create.maxSubscriberCount === 0 ? UNBOUNDED : create.maxSubscriberCount;
  if (create.liveBufferSize !== undefined) settings.liveBufferSize = create.liveBufferSize;
  if (create.readBatchSize !== undefined) settings.readBatchSize = create.readBatchSize;
  if (create.historyBufferSize !== undefined) settings.historyBufferSize = create.historyBufferSize;
  if (create.consumerStrategy !== undefined) settings.consumerStrategyName = create.consumerStrategy;
  return settings;
}

function toClientFilter(filter: AllFilter) {
  const make = filter.on === 'streamName' ? streamNameFilter : eventTypeFilter;
  return filter.prefixes ? make({ prefixes: filter.prefixes }) : make({ regex: filter.regex! });
}

/** The sink for a log line: URL without credentials or query, header names only (values may be secrets). */
function redactedSink(proxy: ProxyConfig): { url: string; headers: string[]; timeoutMs: number } {
  return {
    url: redactUrl(new URL(proxy.sink.url)),
    headers: Object.keys(proxy.sink.headers),
    timeoutMs: proxy.sink.timeoutMs,
  };
}
