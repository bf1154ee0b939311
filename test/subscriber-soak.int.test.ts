/**
 * Issue 4 soak (bounded, not timed): 20,000 events through the deduplicating subscriber as a child
 * process (test/fixtures/webhook-subscriber-child.ts, webhook sink, SQLite store) connected through
 * the TCP fault proxy to the durable embedded server. Faults, from one seeded RNG:
 * - the connection is cut every 200–800 ms, a third of the cuts after holding the client's bytes
 *   (acks) for 100–300 ms, so acks of done events are lost;
 * - two subscriber crashes (SIGKILL), each followed by a restart on the same SQLite store;
 * - one restart of the embedded server on its data directory (groups reload from the checkpoint).
 *
 * Expected (DESIGN.md §6, like test/subscriber-crash.int.test.ts): no event lost; no event reaches
 * the sink twice, except one whose webhook call succeeded in a process right before its SIGKILL
 * (at most a buffer per crash), repeated with the same Idempotency-Key; the epochs in the store
 * count every suppressed duplicate under a cause and add up to what the sink saw.
 *
 * Reproduce a failure with the printed seed: `SOAK_SEED=<seed> npx vitest run test/subscriber-soak.int.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EventStoreDBClient,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { EpochRecord } from '../lib/api/schemas';
import { createSqliteDedupStore } from '../lib/dedup/sqlite-dedup-store';
import { seededRandom, seedFrom } from './helpers/seeded-random';
import { appendOrders } from './helpers/append-orders';
import { createFaultProxy, startEmbeddedEsdb, type EmbeddedEsdb, type FaultProxy } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookCall, type WebhookReceiver } from './helpers/webhook-receiver';

const EVENTS = 20_000;
const BUFFER_SIZE = 20;
const CHILD = path.join(import.meta.dirname, 'fixtures', 'webhook-subscriber-child.ts');
/** Progress (distinct events answered 2xx) at which each disruption happens. */
const CRASH_AT = [0.25, 0.7].map((f) => Math.round(EVENTS * f));
const SERVER_RESTART_AT = Math.round(EVENTS * 0.45);
const SEED = seedFrom(process.env.SOAK_SEED);

let dir: string;
let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let proxy: FaultProxy;
let hook: WebhookReceiver;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'subwatch-soak-'));
  esdb = await startEmbeddedEsdb({ port: 0, dataDir: path.join(dir, 'esdb') });
  admin = EventStoreDBClient.connectionString(esdb.connectionString);
  proxy = await createFaultProxy({ target: { host: esdb.host, port: esdb.port } });
  hook = await startWebhookReceiver();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await hook?.close();
  await proxy?.close();
  await admin?.dispose();
  await esdb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function startChild(args: string[], run: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args, run], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, TEST_BACKOFF_MAX_MS: '500' },
  });
  children.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      if (code !== 0 && signal === null && stderr) console.error(stderr);
      resolve({ code, signal });
    }),
  );
  return { child, exited, run };
}

describe('soak: 20,000 events through cuts, held acks, subscriber crashes and a server restart', () => {
  it('loses nothing, repeats only crash-window events with their Idempotency-Key, and the epochs add up', async () => {
    onTestFailed(() => console.error(`[soak] failed with SOAK_SEED=${SEED}`));
    const random = seededRandom(SEED);
    const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const startedAt = Date.now();

    const stream = `soak-${randomUUID()}`;
    const group = 'billing';
    const ids = await appendOrders(admin, stream, EVENTS, 500);
    await admin.createPersistentSubscriptionToStream(
      stream,
      group,
      persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, maxRetryCount: 1000 }),
    );

    const storePath = path.join(dir, 'dedup.db');
    const args = [`esdb://127.0.0.1:${proxy.port}?tls=false`, stream, group, storePath, hook.url, String(BUFFER_SIZE)];
    const succeeded = new Set<string>();
    hook.setRespond((call) => {
      if (typeof call.body.eventId === 'string') succeeded.add(call.body.eventId);
      return { status: 200 };
    });
    const progress = () => succeeded.size;

    // Fault schedule: runs until the last event is in; the seeded RNG picks every delay.
    let faulting = true;
    let cuts = 0;
    let heldCuts = 0;
    const faults = (async () => {
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      while (faulting) {
        await pause(between(200, 800));
        if (!faulting) break;
        if (random() < 1 / 3) {
          proxy.pause('client-to-server');
          await pause(between(100, 300));
          heldCuts += 1;
        }
        proxy.cutAll();
        proxy.resume('client-to-server');
        cuts += 1;
      }
    })();

    const runs = [startChild(args, 'run-1')];
    const killed = new Set<string>();
    const waitProgress = (target: number, what: string) =>
      waitFor(() => progress() >= target, {
        timeoutMs: 90_000,
        message: () => `${what}: ${target} events answered 2xx (have ${progress()}, cuts ${cuts})`,
      });
    const crash = async () => {
      const current = runs[runs.length - 1]!;
      current.child.kill('SIGKILL');
      expect(await current.exited).toEqual({ code: null, signal: 'SIGKILL' });
      killed.add(current.run);
      runs.push(startChild(args, `run-${runs.length + 1}`));
    };

    try {
      await waitProgress(CRASH_AT[0]!, 'first crash');
      await crash();
      await waitProgress(SERVER_RESTART_AT, 'server restart');
      await esdb.stop();
      esdb = await startEmbeddedEsdb({ port: esdb.port, dataDir: path.join(dir, 'esdb') });
      await waitProgress(CRASH_AT[1]!, 'second crash');
      await crash();
      await waitProgress(EVENTS, 'every event');
    } finally {
      faulting = false;
      await faults;
      proxy.resume('client-to-server');
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
      { timeoutMs: 60_000, message: 'everything acked' },
    );
    const last = runs[runs.length - 1]!;
    last.child.kill('SIGTERM');
    expect(await last.exited).toEqual({ code: 0, signal: null });
    const wallMs = Date.now() - startedAt;

    const calls: WebhookCall[] = hook.calls;
    const ok = calls.filter((c) => c.status === 200);
    // Nothing lost.
    expect(new Set(ok.map((c) => c.body.eventId))).toEqual(new Set(ids));
    // Every call of an event carries its dedup key (the original event id).
    expect(calls.filter((c) => c.headers['idempotency-key'] !== c.body.eventId)).toEqual([]);
    // No event succeeds twice within one process; across processes only events that succeeded in
    // a killed process (its crash window: sink done, key not yet recorded) — at most a buffer each.
    const successesOf = (run: string) => ok.filter((c) => c.headers['x-test-run'] === run).map((c) => String(c.body.eventId));
    const firstRun = new Map<string, string>();
    const repeats: Array<{ id: string; first: string; again: string }> = [];
    for (const { run } of runs) {
      const mine = successesOf(run);
      expect(new Set(mine).size, `repeats within ${run}`).toBe(mine.length);
      for (const id of mine) {
        const first = firstRun.get(id);
        if (first === undefined) firstRun.set(id, run);
        else repeats.push({ id, first, again: run });
      }
    }
    expect(repeats.filter((r) => !killed.has(r.first))).toEqual([]);
    expect(repeats.length).toBeLessThanOrEqual(killed.size * BUFFER_SIZE);
    expect(ok.length - repeats.length).toBe(EVENTS);

    // The epochs in the store. A killed process's counters reach the store on its periodic flush,
    // so its last second may be missing: its epochs count at most what the sink saw. Epochs of the
    // process that stopped gracefully count exactly what the sink saw in each of them.
    const store = createSqliteDedupStore({ path: storePath });
    let epochs: EpochRecord[];
    try {
      epochs = await store.listEpochs(`${stream}::${group}`, 10_000);
    } finally {
      await store.close();
    }
    const sinkByEpoch = new Map<number, number>();
    for (const c of ok) sinkByEpoch.set(Number(c.body.epoch), (sinkByEpoch.get(Number(c.body.epoch)) ?? 0) + 1);
    const lastRunEpochs = new Set(ok.filter((c) => c.headers['x-test-run'] === last.run).map((c) => Number(c.body.epoch)));
    const firstEpochOfLastRun = Math.min(...lastRunEpochs);
    for (const epoch of epochs) {
      const { reconnect, timeout, reload, replay, other } = epoch.duplicatesByCause;
      expect(reconnect + timeout + reload + replay + other, `causes of epoch ${epoch.epoch}`).toBe(epoch.duplicatesSuppressed);
      const outcomes = epoch.delivered + epoch.duplicatesSuppressed + epoch.retried + epoch.parked + epoch.skipped;
      const seen = sinkByEpoch.get(epoch.epoch) ?? 0;
      if (epoch.epoch >= firstEpochOfLastRun) {
        expect(epoch.endedAt, `epoch ${epoch.epoch} closed`).not.toBeNull();
        expect(outcomes, `outcomes of epoch ${epoch.epoch}`).toBe(epoch.received);
        expect(epoch.delivered, `delivered in epoch ${epoch.epoch}`).toBe(seen);
      } else {
        expect(outcomes).toBeLessThanOrEqual(epoch.received);
        expect(epoch.delivered).toBeLessThanOrEqual(seen);
      }
      expect(epoch.parked).toBe(0);
    }
    const total = (pick: (e: EpochRecord) => number) => epochs.reduce((sum, e) => sum + pick(e), 0);
    const byCause = Object.fromEntries(
      (['reconnect', 'timeout', 'reload', 'replay', 'other'] as const).map((cause) => [cause, total((e) => e.duplicatesByCause[cause])]),
    );
    expect(total((e) => e.delivered)).toBeLessThanOrEqual(ok.length);
    // Held acks before cuts guarantee redeliveries of done events; the server restart reloads.
    expect(total((e) => e.duplicatesSuppressed)).toBeGreaterThan(0);
    expect(cuts).toBeGreaterThanOrEqual(10);
    console.info(
      `[soak] seed=${SEED} events=${EVENTS} wall=${(wallMs / 1000).toFixed(1)}s cuts=${cuts} (held acks ${heldCuts}) crashes=${killed.size} serverRestarts=1 ` +
        `epochs=${epochs.length} webhookCalls=${calls.length} crashRepeats=${repeats.length} ` +
        `duplicatesSuppressed=${total((e) => e.duplicatesSuppressed)} byCause=${JSON.stringify(byCause)}`,
    );
    // About 30 s alone on 2 cores; the bound only keeps a stuck run from hanging (never a speed check).
  }, 240_000);
});
