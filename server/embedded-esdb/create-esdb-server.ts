import { Server, ServerCredentials } from '@grpc/grpc-js';
import { GossipService } from '@eventstore/db-client/generated/gossip_grpc_pb';
import { PersistentSubscriptionsService } from '@eventstore/db-client/generated/persistent_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { type Clock, systemClock } from './clock';
import { aclsOf } from './auth/log-acls';
import { createSecureGuard, insecureGuard } from './grpc/call-guard';
import { createGossipReadHandler } from './grpc/gossip-handler';
import { createPersistentAdminHandlers } from './grpc/persistent-admin-handlers';
import { createPersistentReadHandler } from './grpc/persistent-read-handler';
import { getSupportedMethods } from './grpc/server-features-handler';
import { createStreamsAppendHandler } from './grpc/streams-append-handler';
import { createStreamsDeleteHandler, createStreamsTombstoneHandler } from './grpc/streams-delete-handlers';
import { createStreamsReadHandler } from './grpc/streams-read-handler';
import { EventLog } from './log/event-log';
import { type CompactionOptions, type CompactionResult, CompactionSkippedError, DataLog } from './storage/data-log';
import { PersistentSubscriptionService } from './persistent/subscription-service';

export interface EsdbServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** 0 = ephemeral. Default 2113. */
  readonly port?: number;
  readonly clock?: Clock;
  /** Period of the persistent-subscription timer (message timeouts, checkpoints). Default 1000 ms. */
  readonly tickIntervalMs?: number;
  /**
   * Keep streams, groups, checkpoints and parked messages in an append-only log in this directory
   * (created when missing) and load it at start. Without it everything is in memory only.
   */
  readonly dataDir?: string;
  /**
   * Serve TLS with this PEM certificate chain and key (like a secure node; clients connect with
   * `tls=true`). No authentication either way. Default: insecure (`tls=false`).
   */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Data-log compaction (threshold, test seam); see `storage/data-log.ts`. */
  readonly compaction?: CompactionOptions;
  /** Recoverable storage problems (a torn tail cut off at start). Default: one line on stderr. */
  readonly warn?: (message: string) => void;
}

export interface EsdbServer {
  readonly host: string;
  readonly port: number;
  /** `esdb://HOST:PORT?tls=false`, or `?tls=true` with `tls` (add `&tlsCAFile=…` for a private CA). */
  readonly connectionString: string;
  /** Data directory in use, if durable. */
  readonly dataDir: string | undefined;
  /** The in-memory log, for tests and in-process tools. */
  readonly log: EventLog;
  readonly subscriptions: PersistentSubscriptionService;
  /** Compacts the data log now (tests, tools); undefined without a data dir. */
  compactLog(): CompactionResult | undefined;
  /** Idempotent: returns the same promise when called again. Open calls are cancelled. */
  stop(): Promise<void>;
}

/** An error that says which port was taken, in the shape server/main.ts reports. */
function toBindError(error: Error, host: string, port: number): Error {
  const inUse = /EADDRINUSE|address already in use/i.test(error.message);
  return Object.assign(new Error(`cannot listen on ${host}:${port}: ${error.message}`), {
    code: inUse ? 'EADDRINUSE' : 'EBIND',
    port,
    cause: error,
  });
}

/**
 * Starts the EventStoreDB-compatible gRPC server in this process. The child process entry and fast
 * tests use this directly; the dashboard uses `startEmbeddedEsdb` to keep it off its event loop.
 */
export async function createEsdbServer(options: EsdbServerOptions = {}): Promise<EsdbServer> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 2113;
  const clock = options.clock ?? systemClock;
  const warn = options.warn ?? ((message: string) => process.stderr.write(`embedded-esdb: ${message}\n`));
  const dataLog = options.dataDir === undefined ? undefined : DataLog.open(options.dataDir, warn, undefined, options.compaction);
  let log: EventLog;
  let subscriptions: PersistentSubscriptionService;
  try {
    log = new EventLog(clock, dataLog?.journal);
    const groups = dataLog?.restoreInto(log) ?? [];
    try {
      dataLog?.maybeCompact(log, true);
    } catch (error) {
      if (!(error instanceof CompactionSkippedError)) throw error;
      warn(error.message);
    }
    subscriptions = new PersistentSubscriptionService(log, clock, { groups, saveGroups: dataLog && ((g) => dataLog.saveGroups(g)) });
  } catch (error) {
    dataLog?.close();
    throw error;
  }

  // The client pings every 10 s even on idle channels; permit that instead of treating it as abuse.
  const server = new Server({
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 5_000,
    'grpc.max_receive_message_length': 17 * 1024 * 1024,
  });
  let boundPort = requestedPort;
  // Like a real node: a secure (TLS) node checks credentials and ACLs, an insecure one nothing.
  const guard = options.tls ? createSecureGuard(aclsOf(log)) : insecureGuard;
  server.addService(StreamsService, {
    read: createStreamsReadHandler(log, guard),
    append: createStreamsAppendHandler(log, guard),
    delete: createStreamsDeleteHandler(log, guard),
    tombstone: createStreamsTombstoneHandler(log, guard),
  });
  server.addService(PersistentSubscriptionsService, {
    ...createPersistentAdminHandlers(subscriptions, guard),
    read: createPersistentReadHandler(subscriptions, guard),
  });
  server.addService(ServerFeaturesService, { getSupportedMethods });
  server.addService(GossipService, { read: createGossipReadHandler(() => ({ host, port: boundPort })) });

  try {
    boundPort = await new Promise<number>((resolve, reject) => {
      const credentials = options.tls
        ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }], false)
        : ServerCredentials.createInsecure();
      server.bindAsync(`${host}:${requestedPort}`, credentials, (error, port) => {
        if (error) reject(toBindError(error, host, requestedPort));
        else resolve(port);
      });
    });
  } catch (error) {
    subscriptions.stop();
    dataLog?.close();
    throw error;
  }

  const compactIfDue = () => {
    try {
      dataLog?.maybeCompact(log);
    } catch (error) {
      // Failing before the rename changes nothing; anything later propagates and stops the server.
      if (!(error instanceof CompactionSkippedError)) throw error;
      warn(error.message);
    }
  };
  const timer = setInterval(() => {
    subscriptions.tick();
    compactIfDue();
  }, options.tickIntervalMs ?? 1_000);
  timer.unref();

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= new Promise<void>((resolve) => {
      clearInterval(timer);
      subscriptions.stop();
      server.tryShutdown(() => {
        // Every acknowledged change is synced; a group whose fsync still runs finishes first, so the
        // file is not closed under the thread pool's fdatasync.
        void log.whenIdle().then(() => {
          dataLog?.close();
          resolve();
        });
      });
      // Long-lived subscription calls would hold tryShutdown forever; cancel them after dropping groups.
      setImmediate(() => server.forceShutdown());
    });
    return stopping;
  };

  return {
    host,
    port: boundPort,
    connectionString: `esdb://${host}:${boundPort}?tls=${options.tls ? 'true' : 'false'}`,
    dataDir: options.dataDir,
    log,
    subscriptions,
    compactLog: () => dataLog?.compact(log),
    stop,
  };
}
