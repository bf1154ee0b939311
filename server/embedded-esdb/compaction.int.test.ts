/**
 * Data-log compaction (README "Compaction", `storage/data-log.ts`): the rewritten log keeps
 * exactly what reads, groups, checkpoints (§2.5) and parked counts (§3.2: last − truncateBefore + 1)
 * show, drops the rest, and a crash at any step of it loses nothing.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { afterEach, describe, expect, test } from 'vitest';
import { createEsdbServer, type EsdbServerOptions } from './create-esdb-server';
import { COMPACTING_FILE, DATA_LOG_FILE } from './storage/data-log';
import { collectDeliveries } from './testing/collect-deliveries';
import { waitUntil } from './testing/wait-until';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-esdb-compaction-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, options: Partial<EsdbServerOptions> = {}) {
  const server = await createEsdbServer({ port: 0, dataDir, ...options });
  const client = EventStoreDBClient.connectionString(server.connectionString);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await client.dispose();
    await server.stop();
  };
  cleanups.push(stop);
  return { server, client, stop };
}

const testEvents = (count: number) => Array.from({ length: count }, (_, n) => jsonEvent({ type: 'test-event', data: { n } }));

interface Names {
  readonly live: string;
  readonly truncated: string;
  readonly capped: string;
  readonly deleted: string;
  readonly tombstoned: string;
  readonly group: string;
}

/** What a client can observe of one stream: its events, or the error reading it fails with. */
async function observeStream(client: EventStoreDBClient, stream: string): Promise<unknown> {
  try {
    const events: ResolvedEvent[] = [];
    for await (const resolved of client.readStream(stream)) events.push(resolved);
    return events.map((e) => [e.event?.id, e.event?.revision, e.event?.position?.commit, e.event?.created]);
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

async function observe(client: EventStoreDBClient, names: Names) {
  const info = await client.getPersistentSubscriptionToStreamInfo(names.live, names.group);
  return {
    streams: await Promise.all([names.live, names.truncated, names.capped, names.deleted, names.tombstoned].map((s) => observeStream(client, s))),
    group: {
      settings: info.settings,
      lastCheckpointedEventRevision: info.stats.lastCheckpointedEventRevision,
      parkedMessageCount: info.stats.parkedMessageCount,
    },
  };
}

/**
 * Live streams plus garbage of every kind: truncated (`$tb`) and capped (`$maxCount`) events, a
 * deleted and a tombstoned stream, 12 checkpoints of which only the newest count (`$maxCount: 2`),
 * and a parked stream truncated by a replay.
 */
async function buildState(client: EventStoreDBClient): Promise<Names> {
  const names: Names = {
    live: `live-${randomUUID()}`,
    truncated: `tb-${randomUUID()}`,
    capped: `max-${randomUUID()}`,
    deleted: `del-${randomUUID()}`,
    tombstoned: `tomb-${randomUUID()}`,
    group: `g-${randomUUID()}`,
  };
  await client.appendToStream(names.live, testEvents(16));
  await client.appendToStream(names.truncated, testEvents(10));
  await client.setStreamMetadata(names.truncated, { truncateBefore: 8 });
  await client.setStreamMetadata(names.capped, { maxCount: 3 });
  await client.appendToStream(names.capped, testEvents(10));
  await client.appendToStream(names.deleted, testEvents(20));
  await client.deleteStream(names.deleted);
  await client.appendToStream(names.tombstoned, testEvents(5));
  await client.tombstoneStream(names.tombstoned);

  const settings = persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, checkPointLowerBound: 1, checkPointUpperBound: 1 });
  await client.createPersistentSubscriptionToStream(names.live, names.group, settings);
  const subscription = client.subscribeToPersistentSubscriptionToStream(names.live, names.group, { bufferSize: 32 });
  const { received } = collectDeliveries(subscription);
  await waitUntil('16 deliveries', () => received.length === 16);
  // Two parked, replayed (which truncates the parked stream), then one more parked.
  await subscription.nack('park', 'poison', received[0]!, received[1]!);
  await client.replayParkedMessagesToStream(names.live, names.group);
  await waitUntil('the 2 replayed deliveries', () => received.length === 18);
  await subscription.nack('park', 'poison again', received[16]!);
  for (const event of [...received.slice(2, 14), received[17]!]) await subscription.ack(event);
  // Upper bound 1: each ack that moves the checkpoint writes one (§2.5); events 0 and 1 are parked
  // or replayed, so the checkpoint ends before the first of them still outstanding.
  await waitUntil('parked count 1 and checkpoint 13', async () => {
    const info = await client.getPersistentSubscriptionToStreamInfo(names.live, names.group);
    return info.stats.parkedMessageCount === 1n && info.stats.lastCheckpointedEventRevision === 13n;
  });
  await subscription.unsubscribe();
  return names;
}

describe('data log compaction', () => {
  test('after a compaction the file is smaller and both the running server and a restart show identical streams, group, checkpoint and parked count; writes continue after it', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const names = await buildState(first.client);
    const before = await observe(first.client, names);
    const sizeBefore = statSync(path.join(dataDir, DATA_LOG_FILE)).size;

    const result = first.server.compactLog()!;

    expect(result.bytesBefore).toBe(sizeBefore);
    expect(result.bytesAfter).toBe(statSync(path.join(dataDir, DATA_LOG_FILE)).size);
    expect(result.bytesAfter).toBeLessThan(sizeBefore * 0.6);
    expect(await observe(first.client, names)).toEqual(before);
    const next = await first.client.appendToStream(names.live, testEvents(1));
    expect(next.nextExpectedRevision).toBe(16n);
    await first.stop();

    const second = await start(dataDir);
    const after = await observe(second.client, names);
    expect({ ...after, streams: [(after.streams[0] as unknown[]).slice(0, 16), ...after.streams.slice(1)] }).toEqual(before);
    expect((after.streams[0] as unknown[]).length).toBe(17);
    // A new event gets a position after every event the log ever had, dropped ones included.
    const later = await second.client.appendToStream(names.deleted, testEvents(1));
    expect(later.nextExpectedRevision).toBe(20n);
    expect(later.position!.commit > next.position!.commit).toBe(true);
  });

  test('a log that is mostly garbage is compacted at start when it is at least minBytes', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const names = await buildState(first.client);
    const before = await observe(first.client, names);
    await first.stop();
    const sizeBefore = statSync(path.join(dataDir, DATA_LOG_FILE)).size;

    const second = await start(dataDir, { compaction: { minBytes: 1 } });

    expect(statSync(path.join(dataDir, DATA_LOG_FILE)).size).toBeLessThan(sizeBefore * 0.6);
    expect(await observe(second.client, names)).toEqual(before);
  });

  test.each(['written', 'renamed'] as const)('a crash after the %s step of a compaction loses nothing: the restart shows the same state', async (step) => {
    const dataDir = newDataDir();
    const crash = new Error(`crash after ${step}`);
    const first = await start(dataDir, {
      compaction: {
        afterStep: (current) => {
          if (current === step) throw crash;
        },
      },
    });
    const names = await buildState(first.client);
    const before = await observe(first.client, names);

    expect(() => first.server.compactLog()).toThrow(crash);
    expect(existsSync(path.join(dataDir, COMPACTING_FILE))).toBe(step === 'written');
    await first.stop();

    const second = await start(dataDir);
    expect(existsSync(path.join(dataDir, COMPACTING_FILE))).toBe(false);
    expect(await observe(second.client, names)).toEqual(before);
  });
});
