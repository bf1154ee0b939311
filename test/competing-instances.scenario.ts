/**
 * Issue 8 scale-out: three subwatch subscriber processes (test/fixtures/webhook-subscriber-child.ts,
 * each its own SUBWATCH_INSTANCE_ID) compete on ONE RoundRobin group of the embedded server and
 * share one dedup store — Redis, then PostgreSQL (same body, the store is the parameter).
 * 20,000 events. Faults, from one seeded RNG per concern:
 * - every 150–600 ms one random instance's connection is cut at its own fault proxy, a third of
 *   the cuts after holding that instance's bytes to the server (its acks) for 100–300 ms;
 * - three times a random instance is SIGKILLed and restarted under the same instance id.
 *
 * Expected (DESIGN.md §6, issue 8), checked against the webhook receiver and the server's parked
 * stream (the independent oracle), not against what the subscribers say:
 * - nothing lost: every event reached the sink or the parked stream;
 * - no event reaches the sink twice, except one whose webhook call succeeded in a process that was
 *   SIGKILLed before it recorded the key done (the crash window): repeated only after that kill,
 *   by another process, with the same Idempotency-Key, answered at most moments before the kill,
 *   and at most a buffer per connection the killed process was still handling;
 * - the totals add up: epochs are numbered across instances (each belongs to one process), the
 *   epochs of the processes that stopped gracefully count exactly what the sink saw from them,
 *   their last heartbeats (per-instance counters) equal their epochs' sums, and the group totals
 *   over the instances are those sums. A killed process's last second of counters may be missing.
 *
 * Run by test/competing-instances-redis.int.test.ts and test/competing-instances-postgres.int.test.ts.
 * Replay a failure with the printed seed:
 * `COMPETING_SEED=<seed> npx vitest run test/competing-instances-redis.int.test.ts` (or -postgres).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  EventStoreDBClient,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import Redis from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { EpochRecord, Instance } from '../lib/api/schemas';
import type { DedupStore } from '../lib/dedup/dedup-store';
import { createPostgresDedupStore } from '../lib/dedup/postgres-dedup-store';
import { createRedisDedupStore } from '../lib/dedup/redis-dedup-store';
import { listParkedMessages } from '../lib/esdb/parked-messages';
import { toGroupTotals } from '../lib/instances/group-totals';
import { appendOrders } from './helpers/append-orders';
import { seededRandom, seedFrom } from './helpers/seeded-random';
import { createFaultProxy, startEmbeddedEsdb, type EmbeddedEsdb, type FaultProxy } from './helpers/server-fixtures';
import { testPostgresUrl, testRedisUrl } from './helpers/service-urls';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookCall, type WebhookReceiver } from './helpers/webhook-receiver';

const EVENTS = 20_000;
const BUFFER_SIZE = 20;
const INSTANCES = ['instance-a', 'instance-b', 'instance-c'] as const;
/** Progress (distinct events answered 2xx) at which each SIGKILL happens. */
const KILL_AT = [0.2, 0.45, 0.7].map((f) => Math.round(EVENTS * f));
const HEARTBEAT_MS = 250;
/** How long before its SIGKILL a repeated event's first call may have succeeded. */
const CRASH_WINDOW_BOUND_MS = 2_000;
/** The subscriber writes changed epoch counters every second (epochFlushMs default). */
const EPOCH_FLUSH_MS = 1_000;
const CHILD = path.join(import.meta.dirname, 'fixtures', 'webhook-subscriber-child.ts');
const SEED = seedFrom(process.env.COMPETING_SEED);

export interface SharedStoreKind {
  name: 'redis' | 'postgres';
  url: string;
  /** A fresh namespace for one test: Redis key prefix or PostgreSQL schema. */
  newNamespace(): string;
  /** The test's own view of the shared store (reads epochs and heartbeats; never claims). */
  open(namespace: string): Promise<DedupStore>;
  drop(namespace: string): Promise<void>;
}

export const redisStore: SharedStoreKind = {
  name: 'redis',
  url: testRedisUrl,
  newNamespace: () => `subwatch-test-${randomUUID()}`,
  open: (prefix) => createRedisDedupStore({ url: testRedisUrl, prefix, instanceId: 'test-oracle' }),
  async drop(prefix) {
    const redis = new Redis(testRedisUrl);
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      await redis.quit();
    }
  },
};

export const postgresStore: SharedStoreKind = {
  name: 'postgres',
  url: testPostgresUrl,
  newNamespace: () => `t_${randomUUID().replace(/-/g, '')}`,
  open: (schema) => createPostgresDedupStore({ connectionString: testPostgresUrl, schema, instanceId: 'test-oracle' }),
  async drop(schema) {
    const pool = new pg.Pool({ connectionString: testPostgresUrl, max: 1 });
    try {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await pool.end();
    }
  },
};

interface Exit {
  code: number | null;
  signal: string | null;
}

/** One subscriber process: an instance's lifetime until it is killed or stopped. */
interface Run {
  /** `x-test-run` of its webhook calls, e.g. `instance-b#2`. */
  name: string;
  instanceId: string;
  child: ChildProcess;
  exited: Promise<Exit>;
  /** Epoch numbers this process opened (its stdout). */
  epochs: number[];
  killedAt: number | undefined;
}

let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
const runs: Run[] = [];
const proxies: FaultProxy[] = [];
const hooks: WebhookReceiver[] = [];
const namespaces: Array<{ kind: SharedStoreKind; namespace: string }> = [];
const oracleStores: DedupStore[] = [];


/** Starts one subscriber process of `instanceId`; `started` holds this test's processes (named per test). */
function startRun(started: Run[], instanceId: string, connectionString: string, args: string[], namespace: string): Run {
  const name = `${instanceId}#${started.filter((r) => r.instanceId === instanceId).length + 1}`;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, connectionString, ...args, name], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      SUBWATCH_INSTANCE_ID: instanceId,
      TEST_STORE_NAMESPACE: namespace,
      TEST_HEARTBEAT_MS: String(HEARTBEAT_MS),
      // Cuts come every few hundred ms: a short reconnect backoff keeps the instances moving.
      TEST_BACKOFF_MAX_MS: '500',
    },
  });
  const run: Run = { name, instanceId, child, exited: undefined as unknown as Promise<Exit>, epochs: [], killedAt: undefined };
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      const parsed = JSON.parse(line) as { epochOpened?: unknown };
      if (typeof parsed.epochOpened === 'number') run.epochs.push(parsed.epochOpened);
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  run.exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) console.error(`[${name}] ${stderr}`);
      resolve({ code, signal });
    }),
  );
  runs.push(run);
  started.push(run);
  return run;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scenario against one shared store; each store's `*.int.test.ts` runs it (one embedded
 * server per file, so the two stores' runs can go to different workers).
 */
export function runCompetingInstancesScenario(kind: SharedStoreKind): void {
  describe(`three subwatch instances competing on one RoundRobin group, sharing a ${kind.name} store`, () => {
    beforeAll(async () => {
      esdb = await startEmbeddedEsdb({ port: 0 });
      admin = EventStoreDBClient.connectionString(esdb.connectionString);
    });

    afterAll(async () => {
      // Even after a failure: no subscriber process outlives the file.
      const alive = runs.filter((r) => r.child.exitCode === null && r.child.signalCode === null);
      for (const run of alive) run.child.kill('SIGKILL');
      await Promise.all(alive.map((r) => r.exited));
      await Promise.all(hooks.map((h) => h.close()));
      await Promise.all(proxies.map((p) => p.close()));
      await Promise.all(oracleStores.map((s) => s.close()));
      await admin?.dispose();
      await esdb?.stop();
      for (const ns of namespaces) await ns.kind.drop(ns.namespace);
    });

    it('lose nothing through random cuts and three SIGKILL restarts, repeat only crash-window events with their Idempotency-Key, and the per-instance totals add up to what the sink saw', async () => {
      const schedule: string[] = [];
      onTestFailed(() => {
        console.error(`[competing:${kind.name}] failed with COMPETING_SEED=${SEED}; fault schedule:\n  ${schedule.join('\n  ')}`);
      });
      const faultRandom = seededRandom(SEED);
      const killRandom = seededRandom(SEED ^ 0x5bd1e995);
      const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
      const startedAt = Date.now();
      const at = () => `+${Date.now() - startedAt} ms`;

      const namespace = kind.newNamespace();
      namespaces.push({ kind, namespace });
      const store = await kind.open(namespace);
      oracleStores.push(store);
      const hook = await startWebhookReceiver();
      hooks.push(hook);
      const mine = await Promise.all(INSTANCES.map(() => createFaultProxy({ target: { host: esdb.host, port: esdb.port } })));
      proxies.push(...mine);

      const stream = `competing-${randomUUID()}`;
      const group = `billing-${randomUUID()}`;
      const ids = await appendOrders(admin, stream, EVENTS, 500);
      await admin.createPersistentSubscriptionToStream(
        stream,
        group,
        persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 1000, consumerStrategyName: 'RoundRobin' }),
      );

      const appendedMs = Date.now() - startedAt;
      const succeeded = new Set<string>();
      const milestones = new Map<number, number>();
      hook.setRespond((call) => {
        if (typeof call.body.eventId === 'string') succeeded.add(call.body.eventId);
        for (const m of [EVENTS / 2, EVENTS]) if (succeeded.size >= m && !milestones.has(m)) milestones.set(m, Date.now() - startedAt);
        return { status: 200 };
      });
      const args = [stream, group, kind.url, hook.url, String(BUFFER_SIZE)];
      const started: Run[] = [];
      const start = (i: number) => startRun(started, INSTANCES[i]!, `esdb://127.0.0.1:${mine[i]!.port}?tls=false`, args, namespace);
      const current = INSTANCES.map((_, i) => start(i));
      const heartbeatOf = async (instanceId: string): Promise<Instance | undefined> =>
        (await store.listInstances()).find((x) => x.instanceId === instanceId);

      let faulting = true;
      let cuts = 0;
      let heldCuts = 0;
      const faults = (async () => {
        while (faulting) {
          await pause(between(faultRandom, 150, 600));
          if (!faulting) break;
          const i = Math.floor(faultRandom() * INSTANCES.length);
          const holdMs = faultRandom() < 1 / 3 ? between(faultRandom, 100, 300) : 0;
          const proxy = mine[i]!;
          if (holdMs > 0) {
            proxy.pause('client-to-server');
            await pause(holdMs);
            heldCuts += 1;
          }
          proxy.cutAll();
          proxy.resume('client-to-server');
          cuts += 1;
          schedule.push(`${at()} cut ${INSTANCES[i]}${holdMs > 0 ? ` after holding its acks ${holdMs} ms` : ''}`);
        }
      })();

      const waitProgress = (target: number, what: string) =>
        waitFor(() => succeeded.size >= target, {
          timeoutMs: 60_000,
          intervalMs: 20,
          message: () => `${what}: ${target} events answered 2xx (have ${succeeded.size}, cuts ${cuts})`,
        });
      try {
        // All three instances beat into the shared store.
        await waitFor(async () => (await store.listInstances()).filter((x) => x.state === 'live').length === INSTANCES.length, {
          timeoutMs: 20_000,
          intervalMs: 50,
          message: 'three live instances in the shared store',
        });
        for (const [k, target] of KILL_AT.entries()) {
          await waitProgress(target, `kill ${k + 1}`);
          const i = Math.floor(killRandom() * INSTANCES.length);
          const victim = current[i]!;
          victim.killedAt = Date.now();
          victim.child.kill('SIGKILL');
          expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
          schedule.push(`${at()} SIGKILL ${victim.name} at ${succeeded.size} events; restarted as ${INSTANCES[i]}`);
          const restarted = start(i);
          current[i] = restarted;
          // The same instance id, now beating from the new process.
          await waitFor(async () => (await heartbeatOf(INSTANCES[i]!))?.pid === restarted.child.pid, {
            timeoutMs: 20_000,
            intervalMs: 50,
            message: `heartbeat of ${restarted.name}`,
          });
        }
        await waitFor(
          async () => {
            if (succeeded.size >= EVENTS) return true;
            const { stats } = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
            return succeeded.size + Number(stats.parkedMessageCount) >= EVENTS;
          },
          { timeoutMs: 60_000, intervalMs: 100, message: () => `every event answered 2xx or parked (have ${succeeded.size} answered, cuts ${cuts})` },
        );
      } finally {
        faulting = false;
        await faults;
        schedule.push(`${at()} faults stopped at ${succeeded.size} events`);
        for (const proxy of mine) proxy.resume('client-to-server');
      }
      // Settled: nothing in flight or waiting for a retry, every event read.
      await waitFor(
        async () => {
          const { stats } = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
          return (
            stats.totalInFlightMessages === 0 &&
            stats.retryBufferCount === 0 &&
            stats.readBufferCount === 0 &&
            stats.lastKnownEventRevision === BigInt(EVENTS - 1)
          );
        },
        { timeoutMs: 30_000, intervalMs: 50, message: 'everything acked' },
      );
      const settledMs = Date.now() - startedAt;
      for (const run of current) run.child.kill('SIGTERM');
      for (const run of current) expect(await run.exited, `${run.name} stops gracefully`).toEqual({ code: 0, signal: null });
      const wallMs = Date.now() - startedAt;

      const killed = started.filter((r) => r.killedAt !== undefined);
      const byName = new Map(started.map((r) => [r.name, r]));
      const calls: WebhookCall[] = hook.calls;
      const ok = calls.filter((c) => c.status === 200);
      const parked = await listParkedMessages(admin, { stream, group, limit: EVENTS });

      // Nothing lost: every event reached the sink or the parked stream, and nothing else did.
      const reached = new Set([...ok.map((c) => String(c.body.eventId)), ...parked.parked.map((p) => p.eventId)]);
      expect(ids.filter((id) => !reached.has(id))).toEqual([]);
      expect(reached.size).toBe(EVENTS);
      // Every call of an event carries its dedup key (the original event id).
      expect(calls.filter((c) => c.headers['idempotency-key'] !== c.body.eventId)).toEqual([]);

      // Repeats at the sink: only the crash window of a killed process.
      const first = new Map<string, WebhookCall>();
      const repeats: Array<{ id: string; first: WebhookCall; again: WebhookCall }> = [];
      for (const call of ok) {
        const id = String(call.body.eventId);
        const earlier = first.get(id);
        if (earlier === undefined) first.set(id, call);
        else repeats.push({ id, first: earlier, again: call });
      }
      const runOf = (call: WebhookCall): Run => {
        const run = byName.get(String(call.headers['x-test-run']));
        if (!run) throw new Error(`webhook call from an unknown process ${String(call.headers['x-test-run'])}`);
        return run;
      };
      const outsideCrashWindow = repeats.filter((r) => {
        const firstRun = runOf(r.first);
        return (
          firstRun.killedAt === undefined || // the first process was never killed: it recorded the key done
          runOf(r.again) === firstRun || // one process never repeats a key
          r.again.receivedAt < firstRun.killedAt // until the kill the key was claimed by the first process
        );
      });
      expect(outsideCrashWindow.map((r) => `${r.id}: ${runOf(r.first).name} then ${runOf(r.again).name}`)).toEqual([]);
      // At most what the killed process had in its sink: a buffer per connection it was still
      // handling (after a cut the old connection's calls finish while the new one fills up).
      for (const run of killed) {
        const connectionsAtKill = new Set(
          ok.filter((c) => runOf(c) === run && (c.answeredAt ?? c.receivedAt) >= run.killedAt! - CRASH_WINDOW_BOUND_MS).map((c) => c.body.epoch),
        );
        expect(repeats.filter((r) => runOf(r.first) === run).length, `repeats after killing ${run.name}`).toBeLessThanOrEqual(
          BUFFER_SIZE * Math.max(1, connectionsAtKill.size),
        );
      }
      // "Just before": the repeated event's first call was answered (2xx) moments before the kill —
      // recording the key done takes one store round trip (the bound only allows for a loaded machine).
      const crashWindowMs = repeats.map((r) => runOf(r.first).killedAt! - (r.first.answeredAt ?? r.first.receivedAt));
      expect(crashWindowMs.filter((ms) => ms > CRASH_WINDOW_BOUND_MS)).toEqual([]);

      // Epochs: numbered across the instances, each opened by one process, and every sink call
      // carries the epoch of the process that made it.
      const runOfEpoch = new Map<number, Run>();
      for (const run of started) {
        for (const epoch of run.epochs) {
          expect(runOfEpoch.get(epoch)?.name, `epoch ${epoch} opened twice`).toBeUndefined();
          runOfEpoch.set(epoch, run);
        }
      }
      expect(ok.filter((c) => runOfEpoch.get(Number(c.body.epoch)) !== runOf(c)).map((c) => `${String(c.headers['x-test-run'])}: epoch ${String(c.body.epoch)}`)).toEqual([]);
      const scope = `${stream}::${group}`;
      let epochs: EpochRecord[];
      let instances: Instance[];
      try {
        epochs = await store.listEpochs(scope, 10_000);
        instances = await store.listInstances();
      } finally {
        await store.close();
      }
      const sinkByEpoch = new Map<number, number>();
      for (const c of ok) sinkByEpoch.set(Number(c.body.epoch), (sinkByEpoch.get(Number(c.body.epoch)) ?? 0) + 1);
      for (const epoch of epochs) {
        const { reconnect, timeout, reload, replay, other } = epoch.duplicatesByCause;
        expect(reconnect + timeout + reload + replay + other, `causes of epoch ${epoch.epoch}`).toBe(epoch.duplicatesSuppressed);
        const outcomes = epoch.delivered + epoch.duplicatesSuppressed + epoch.retried + epoch.parked + epoch.skipped;
        const seen = sinkByEpoch.get(epoch.epoch) ?? 0;
        const run = runOfEpoch.get(epoch.epoch);
        if (run !== undefined && run.killedAt === undefined) {
          expect(epoch.endedAt, `epoch ${epoch.epoch} of ${run.name} closed`).not.toBeNull();
          expect(outcomes, `outcomes of epoch ${epoch.epoch} (${run.name})`).toBe(epoch.received);
          expect(epoch.delivered, `delivered in epoch ${epoch.epoch} (${run.name})`).toBe(seen);
        } else {
          // A killed process's counters reach the store on its periodic flush: its last second may be missing.
          expect(outcomes).toBeLessThanOrEqual(epoch.received);
          expect(epoch.delivered).toBeLessThanOrEqual(seen);
        }
      }
      expect(new Set(epochs.map((e) => e.epoch))).toEqual(new Set(runOfEpoch.keys()));
      // What a killed process's epochs miss is at most its last flush interval of deliveries.
      for (const run of killed) {
        const seenOfRun = ok.filter((c) => runOf(c) === run);
        const missing = seenOfRun.length - epochs.filter((e) => runOfEpoch.get(e.epoch) === run).reduce((sum, e) => sum + e.delivered, 0);
        const lastInterval = seenOfRun.filter((c) => (c.answeredAt ?? c.receivedAt) >= run.killedAt! - 2 * EPOCH_FLUSH_MS).length;
        expect(missing, `deliveries of ${run.name} missing from its epochs`).toBeGreaterThanOrEqual(0);
        expect(missing, `deliveries of ${run.name} missing from its epochs`).toBeLessThanOrEqual(lastInterval);
      }

      // Per-instance counters (the last heartbeat of each instance, written when it stopped) equal
      // its final process's epochs and what the sink saw from it; the group totals are their sums.
      const sumOf = (run: Run, pick: (e: EpochRecord) => number) =>
        epochs.filter((e) => runOfEpoch.get(e.epoch) === run).reduce((sum, e) => sum + pick(e), 0);
      expect(instances.map((x) => x.instanceId)).toEqual([...INSTANCES]);
      for (const run of current) {
        const beat = instances.find((x) => x.instanceId === run.instanceId)!;
        expect(beat.pid, `${run.name} wrote the last heartbeat of ${run.instanceId}`).toBe(run.child.pid);
        expect(beat.groups).toEqual([
          {
            stream,
            group,
            state: 'stopped',
            epoch: Math.max(...run.epochs),
            received: sumOf(run, (e) => e.received),
            delivered: ok.filter((c) => runOf(c) === run).length,
            duplicatesSuppressed: sumOf(run, (e) => e.duplicatesSuppressed),
            parked: sumOf(run, (e) => e.parked),
          },
        ]);
        expect(beat.groups[0]!.delivered).toBe(sumOf(run, (e) => e.delivered));
      }
      const sumOverInstances = (pick: (g: Instance['groups'][number]) => number) =>
        instances.reduce((sum, x) => sum + pick(x.groups[0]!), 0);
      expect(toGroupTotals(instances)).toEqual([
        {
          stream,
          group,
          instances: INSTANCES.length,
          liveInstances: instances.filter((x) => x.state === 'live').length,
          received: sumOverInstances((g) => g.received),
          delivered: ok.filter((c) => current.includes(runOf(c))).length,
          duplicatesSuppressed: sumOverInstances((g) => g.duplicatesSuppressed),
          parked: sumOverInstances((g) => g.parked),
        },
      ]);

      // Across every process: each done key was delivered once, so the epochs (missing at most the
      // killed processes' unflushed counters) never count more deliveries than distinct events.
      const total = (pick: (e: EpochRecord) => number) => epochs.reduce((sum, e) => sum + pick(e), 0);
      expect(total((e) => e.delivered)).toBeLessThanOrEqual(first.size);
      expect(total((e) => e.duplicatesSuppressed)).toBeGreaterThan(0);
      expect(cuts).toBeGreaterThanOrEqual(10);
      const byCause = Object.fromEntries(
        (['reconnect', 'timeout', 'reload', 'replay', 'other'] as const).map((cause) => [cause, total((e) => e.duplicatesByCause[cause])]),
      );
      console.info(
        `[competing:${kind.name}] seed=${SEED} events=${EVENTS} wall=${(wallMs / 1000).toFixed(1)}s ` +
          `(appended ${(appendedMs / 1000).toFixed(1)}s, half answered ${((milestones.get(EVENTS / 2) ?? 0) / 1000).toFixed(1)}s, ` +
          `all answered ${((milestones.get(EVENTS) ?? 0) / 1000).toFixed(1)}s, settled ${(settledMs / 1000).toFixed(1)}s) cuts=${cuts} (held acks ${heldCuts}) ` +
          `kills=${killed.map((r) => r.name).join(',')} epochs=${epochs.length} webhookCalls=${calls.length} crashRepeats=${repeats.length} ` +
          `crashWindowMs=${JSON.stringify(crashWindowMs)} parked=${parked.total} epochDelivered=${total((e) => e.delivered)}/${first.size} ` +
          `retried=${total((e) => e.retried)} duplicatesSuppressed=${total((e) => e.duplicatesSuppressed)} byCause=${JSON.stringify(byCause)}`,
      );
    }, 150_000);
  });
}
