/**
 * Composition root: builds the ESDB client(s), the embedded server and demo (when no connection
 * string is configured), the dedup store, the proxied subscribers and the monitor, and exposes
 * them to route handlers as a SubwatchService. Owns their lifecycle; `stop()` runs in reverse.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import {
  EventStoreDBClient,
  START,
  persistentSubscriptionToStreamSettingsFromDefaults,
} from '@eventstore/db-client';
import type { Logger } from 'pino';
import type { Epoch, LiveEvent } from '../lib/api/schemas';
import type { SubwatchService, SubscriptionRef } from '../lib/api/service';
import { ConfigFileError, type SubwatchConfigFile } from '../lib/config/proxies-schema';
import type { Config } from '../lib/config/schema';
import { checkDedupStore, type DedupStore } from '../lib/dedup/dedup-store';
import { createDedupPruner } from '../lib/dedup/dedup-pruner';
import { createCheckpointGapReader } from '../lib/esdb/checkpoint-gap';
import { createEsdbSubscriptionSource } from '../lib/esdb/esdb-subscription-source';
import { AppError } from '../lib/errors';
import { toGroupTotals } from '../lib/instances/group-totals';
import { createInstanceHeartbeat } from '../lib/instances/instance-heartbeat';
import { createSubwatchMetrics, type SubwatchMetrics } from '../lib/metrics/metrics';
import {
  createSubscriptionMonitor,
  describeError,
  toSubscriptionSummary,
  type SubscriptionMonitor,
} from '../lib/monitor/subscription-monitor';
import { createSnapshotHistory } from '../lib/monitor/snapshot-history';
import {
  toConnectionInfos,
  toServerView,
  toSettingsRecord,
  type SubscriptionInfo,
} from '../lib/monitor/to-subscription-summary';
import {
  createDeduplicatingSubscriber,
  type DeduplicatingSubscriber,
} from '../lib/subscriber/deduplicating-subscriber';
import { createStore } from './create-store';
import { createFaultProxy, type FaultProxy } from './chaos/fault-proxy';
import { startConfiguredProxies, toClaimLeaseMs, toPruneRetentionMs } from './configured-proxies';
import { createDemoConsumer, type DemoConsumer } from './demo/demo-consumer';
import { createDemoProducer, type DemoProducer } from './demo/demo-producer';
import { labelDemoFaultDrops } from './demo/demo-fault-source';
import { createFaultSchedule } from './demo/fault-schedule';
import { FRAUD_CHECK_GROUP } from './demo/fraud-check';
import { startFraudCheckDemo } from './demo/fraud-check-demo';
import { startEmbeddedEsdb, type EmbeddedEsdb } from './embedded-esdb';
import { loadSubwatchConfigFile } from './load-config-file';
import { createParkedService } from './parked-service';
import { instrumentSubscriberOptions } from './metrics-wiring';

export const DEMO_STREAM = 'demo-orders';
export const DEMO_GROUP = 'demo-billing';
const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** How often this instance writes its heartbeat into the dedup store (stale after 3 missed beats). */
const HEARTBEAT_INTERVAL_MS = 5000;
/** A probe must answer quickly: a store that does not answer PING / SELECT 1 in time is not ready. */
const READINESS_STORE_TIMEOUT_MS = 2000;

export interface Runtime {
  service: SubwatchService;
  /** Connection string of the watched server (password redacted by the caller before printing). */
  connectionString: string;
  embedded: boolean;
  adminToken: string;
  stop(): Promise<void>;
}

interface Proxied {
  ref: SubscriptionRef;
  subscriber: DeduplicatingSubscriber;
}

const keyOf = (ref: SubscriptionRef) => `${ref.stream}::${ref.group}`;

export interface RuntimeOptions {
  /**
   * The parsed config file (server/main.ts loads it before anything starts); `null` = none.
   * Omitted: loaded here from `config.configFile` (or ./subwatch.config.json when present).
   */
  configFile?: SubwatchConfigFile | null;
}

/** @throws ConfigError / ConfigFileError (before anything is started) when the config file is invalid. */
export async function createRuntime(config: Config, logger: Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const configFile = options.configFile === undefined ? loadSubwatchConfigFile(config.configFile) : (options.configFile ?? undefined);
  if (configFile && config.demo.enabled) {
    const demoKeys = new Set([keyOf({ stream: DEMO_STREAM, group: DEMO_GROUP }), keyOf({ stream: DEMO_STREAM, group: FRAUD_CHECK_GROUP })]);
    const clashes = configFile.proxies.flatMap((p, i) =>
      demoKeys.has(keyOf(p)) ? [`proxies[${i}]: ${p.stream}/${p.group} is a demo group; pick another group or set SUBWATCH_DEMO=0`] : [],
    );
    if (clashes.length > 0) throw new ConfigFileError(configFile.source, clashes);
  }

  const stops: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  const onStop = (name: string, stop: () => Promise<void> | void) => stops.push({ name, stop });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const { name, stop: step } of [...stops].reverse()) {
        try {
          await step();
        } catch (error) {
          logger.error({ err: error, component: name }, 'error while stopping %s', name);
        }
      }
    })());

  try {
    const emitter = new EventEmitter();
    emitter.setMaxListeners(0);
    const emit = (event: LiveEvent) => emitter.emit('live', event);
    const metrics = createSubwatchMetrics();

    let embedded: EmbeddedEsdb | undefined;
    if (config.esdb.connectionString === undefined) {
      const server = await startEmbeddedEsdb({ host: '127.0.0.1', port: config.esdb.embeddedPort, dataDir: path.join(config.dataDir, 'embedded-esdb') });
      embedded = server;
      onStop('embedded EventStoreDB', () => server.stop());
      logger.info({ port: server.port }, 'embedded EventStoreDB-compatible server listening');
    }
    const connectionString: string = config.esdb.connectionString ?? embedded!.connectionString;
    const client = EventStoreDBClient.connectionString(connectionString);
    onStop('ESDB client', () => client.dispose());

    mkdirSync(config.dataDir, { recursive: true });
    const { store, description: storeDescription } = await createStore(config, {
      leaseMs: toClaimLeaseMs(configFile?.proxies ?? [], config.demo.enabled),
    });
    onStop('dedup store', () => store.close());
    logger.info({ store: storeDescription }, 'dedup store open');
    // DESIGN.md §6: done keys older than the retention (default 7 days) are pruned in the background.
    // The store prunes all scopes at once: it keeps keys for the longest retention of any proxy.
    const retentionMs = toPruneRetentionMs(configFile?.proxies ?? [], DEFAULT_RETENTION_MS, config.demo.enabled);
    const pruner = createDedupPruner({ store, retentionMs, logger: logger.child({ component: 'pruner' }) });
    pruner.start();
    onStop('dedup pruner', () => pruner.stop());

    const proxied = new Map<string, Proxied>();

    // Registered before the subscribers start, so it stops after them: the final beat shows them stopped.
    // Started once they all are (below), so the first beat already lists every group this instance serves.
    const instanceId = config.store.instanceId ?? hostname();
    const heartbeat = createInstanceHeartbeat({
      store,
      identity: { instanceId, host: hostname(), pid: process.pid, startedAt: new Date(), version: readVersion() },
      intervalMs: HEARTBEAT_INTERVAL_MS,
      getGroups: () => [...proxied.values()].map((p) => ({ ...p.ref, ...p.subscriber.getSummary() })),
      logger: logger.child({ component: 'heartbeat' }),
    });
    onStop('instance heartbeat', () => heartbeat.stop());

    let demoConsumer: DemoConsumer | undefined;

    if (config.demo.enabled) {
      const demo = await startDemo({ config, logger, client, connectionString, store, emit, embedded, metrics });
      onStop('demo', demo.stop);
      demoConsumer = demo.consumer;
      proxied.set(keyOf(demo.proxied.ref), demo.proxied);
      const fraudCheck = await startFraudCheckDemo({ client, stream: DEMO_STREAM, store, logger, emit, instrument: (o) => instrumentSubscriberOptions(metrics, o) });
      onStop('fraud-check demo', fraudCheck.stop);
      proxied.set(keyOf(fraudCheck.ref), fraudCheck);
    }

    if (configFile && configFile.proxies.length > 0) {
      const configured = await startConfiguredProxies({
        proxies: configFile.proxies,
        client,
        store,
        logger,
        emit,
        instrument: (o) => instrumentSubscriberOptions(metrics, o),
      });
      onStop('configured proxies', configured.stop);
      for (const p of configured.proxied) proxied.set(keyOf(p.ref), p);
      logger.info({ configFile: configFile.source, proxies: configured.proxied.length }, 'config file proxies started');
    }
    // First beat now, with every subscriber (demo and config file) in it; then every interval.
    heartbeat.start();

    // What a dashboard opened now gets of the last minutes (`history` on /api/live connect).
    const snapshotHistory = createSnapshotHistory();
    const monitor: SubscriptionMonitor = createSubscriptionMonitor({
      listInfos: () => client.listAllPersistentSubscriptions() as Promise<SubscriptionInfo[]>,
      listProxied: () => [...proxied.values()].map((p) => p.ref),
      getProxied: (stream, group) => {
        const p = proxied.get(keyOf({ stream, group }));
        return p && { summary: p.subscriber.getSummary(), currentEpoch: p.subscriber.getCurrentEpoch() };
      },
      onSnapshot: (snapshot) => {
        metrics.recordSnapshot(snapshot);
        snapshotHistory.push(snapshot);
        emit({ event: 'snapshot', data: snapshot });
      },
      logger: logger.child({ component: 'monitor' }),
    });
    monitor.start();
    onStop('monitor', () => monitor.stop());

    const token = config.auth.token ?? randomBytes(24).toString('base64url');

    const service: SubwatchService = {
      auth: { token, publicRead: config.auth.publicRead },
      async listSubscriptions() {
        return (monitor.getLatest() ?? (await monitor.pollOnce())).subscriptions;
      },
      async getSubscription(ref) {
        let info: SubscriptionInfo;
        try {
          info =
            ref.stream === '$all'
              ? await client.getPersistentSubscriptionToAllInfo(ref.group)
              : await client.getPersistentSubscriptionToStreamInfo(ref.stream, ref.group);
        } catch (error) {
          throw toServiceError(error, ref);
        }
        const row = monitor.getLatest()?.subscriptions.find((s) => s.stream === ref.stream && s.group === ref.group);
        const p = proxied.get(keyOf(ref));
        // Between polls (a group created a moment ago) the detail shows the server view without history.
        const summary =
          row ?? toSubscriptionSummary(toServerView(info), { level: 'healthy', reasons: [] }, p?.subscriber.getSummary());
        return { summary, settings: toSettingsRecord(info), connections: toConnectionInfos(info) };
      },
      async listEpochs({ stream, group, limit }) {
        const p = proxied.get(keyOf({ stream, group }));
        if (p) return p.subscriber.listEpochs(limit);
        return store.listEpochs(keyOf({ stream, group }), limit);
      },
      async reconnect({ stream, group, actor }) {
        const p = proxied.get(keyOf({ stream, group }));
        if (!p) {
          throw new AppError('CONFLICT', `${stream}/${group} is not proxied by this subwatch instance; only proxied subscriptions can be reconnected`);
        }
        logger.info({ stream, group, actor, action: 'reconnect' }, 'operator forced a reconnect');
        p.subscriber.reconnect(`forced reconnect by ${actor}`);
        emit({
          event: 'action',
          data: { action: 'reconnect', stream, group, ok: true, message: 'Reconnect requested', at: new Date().toISOString() },
        });
        await Promise.resolve();
      },
      ...createParkedService({ client, logger, emit, getSubscriber: (ref) => proxied.get(keyOf(ref))?.subscriber }),
      getLatestSnapshot: () => monitor.getLatest(),
      // Without the latest snapshot: the live route sends that one right after, as `snapshot`.
      getSnapshotHistory: () => {
        const latest = monitor.getLatest();
        return snapshotHistory.list().filter((snapshot) => snapshot.ts !== latest?.ts);
      },
      subscribeLive(listener) {
        const handler = (event: LiveEvent) => listener(event);
        emitter.on('live', handler);
        return () => emitter.off('live', handler);
      },
      async listInstances() {
        let instances;
        try {
          instances = await store.listInstances();
        } catch (error) {
          throw new AppError('UNAVAILABLE', `dedup store (${storeDescription}) unavailable: ${describeError(error)}`);
        }
        return { self: instanceId, instances, groups: toGroupTotals(instances) };
      },
      getDemoConsumer: () => demoConsumer?.stats() ?? null,
      async readiness() {
        const reasons: string[] = [];
        const [snapshot, storeProblem] = await Promise.all([
          monitor.getLatest() ?? monitor.pollOnce(),
          checkDedupStore(store, READINESS_STORE_TIMEOUT_MS),
        ]);
        if (snapshot.serverError !== null) reasons.push(`EventStoreDB unreachable: ${snapshot.serverError}`);
        if (storeProblem !== null) reasons.push(`dedup store (${storeDescription}) unavailable: ${storeProblem}`);
        for (const p of proxied.values()) {
          const s = p.subscriber.getSummary();
          if (s.state === 'stopped') reasons.push(`subscriber ${keyOf(p.ref)} is stopped`);
          // Started = connected at least once; later drops show up as the EventStoreDB reason above.
          else if (s.epoch === 0 && s.state !== 'live') reasons.push(`subscriber ${keyOf(p.ref)} has not connected yet (${s.state})`);
        }
        return { ready: reasons.length === 0, reasons };
      },
      metrics: () => metrics.render(),
    };

    return { service, connectionString, embedded: embedded !== undefined, adminToken: token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startDemo(options: {
  config: Config;
  logger: Logger;
  client: EventStoreDBClient;
  connectionString: string;
  store: DedupStore;
  emit: (event: LiveEvent) => void;
  embedded: EmbeddedEsdb | undefined;
  metrics: SubwatchMetrics;
}): Promise<{ proxied: Proxied; consumer: DemoConsumer; stop: () => Promise<void> }> {
  const { config, logger, client, store, emit } = options;
  const log = logger.child({ component: 'demo' });
  try {
    await client.createPersistentSubscriptionToStream(
      DEMO_STREAM,
      DEMO_GROUP,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }),
    );
    log.info({ stream: DEMO_STREAM, group: DEMO_GROUP }, 'created demo persistent subscription');
  } catch (error) {
    if ((error as { type?: string }).type !== 'persistent-subscription-exists') throw error;
  }

  // The subscriber reaches the server through the fault proxy, so the demo can cut its connection.
  const target = new URL(options.connectionString.replace(/^[a-z+]+:\/\//i, 'http://'));
  const proxy: FaultProxy = await createFaultProxy({
    target: { host: target.hostname, port: Number(target.port || 2113) },
    listenHost: '127.0.0.1',
    listenPort: 0,
  });
  const proxiedClient = EventStoreDBClient.connectionString(`esdb://127.0.0.1:${proxy.port}?tls=false`);

  const consumer = createDemoConsumer();
  const ref = { stream: DEMO_STREAM, group: DEMO_GROUP };
  const schedule = createFaultSchedule({ proxy, intervalMs: config.demo.faultIntervalMs, logger: log });
  const subscriber = createDeduplicatingSubscriber(instrumentSubscriberOptions(options.metrics, {
    // Drops the fault schedule causes end their epoch with a reason that names the demo fault.
    source: labelDemoFaultDrops(createEsdbSubscriptionSource(proxiedClient), (at) => schedule.isFaultDrop(at)),
    getCheckpointGap: createCheckpointGapReader(proxiedClient, DEMO_STREAM, DEMO_GROUP),
    stream: DEMO_STREAM,
    group: DEMO_GROUP,
    bufferSize: 10,
    store,
    logger: logger.child({ component: 'subscriber', stream: DEMO_STREAM, group: DEMO_GROUP }),
    sink: async (delivery) => {
      await consumer.handle(delivery.eventId);
      return { outcome: 'ok' };
    },
    onEpoch: (epoch: Epoch) => emit({ event: 'epoch', data: { ...ref, epoch } }),
  }));
  subscriber.start();

  const producer: DemoProducer = createDemoProducer({ client, stream: DEMO_STREAM, logger: log });
  producer.start();
  schedule.start();

  return {
    proxied: { ref, subscriber },
    consumer,
    async stop() {
      schedule.stop();
      await producer.stop();
      await subscriber.stop();
      await proxiedClient.dispose();
      await proxy.close();
    },
  };
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function toServiceError(error: unknown, ref: SubscriptionRef): unknown {
  const type = (error as { type?: string }).type;
  const code = (error as { code?: number }).code;
  if (type === 'persistent-subscription-does-not-exist' || type === 'not-found') {
    return new AppError('NOT_FOUND', `No persistent subscription ${ref.group} on ${ref.stream}`);
  }
  if (type === 'unavailable' || code === 14) {
    return new AppError('UNAVAILABLE', `EventStoreDB unreachable: ${describeError(error)}`);
  }
  return error;
}
