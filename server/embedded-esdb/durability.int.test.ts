/**
 * Durable mode (`dataDir`): what survives a restart of the in-process server, and how the data log
 * recovers from a torn tail or refuses a corrupt middle. Expected behaviour: esdb-semantics §2.1,
 * §2.5, §2.6 (groups reload from their checkpoint, retryCount back to 0) and §3.2 (parked count).
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  eventTypeFilter,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToAllSettingsFromDefaults,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  type PersistentSubscriptionToStreamSettings,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { afterEach, describe, expect, test } from 'vitest';
import { createEsdbServer, type EsdbServer, type EsdbServerOptions } from './create-esdb-server';
import { startEmbeddedEsdb } from './index';
import { DATA_LOG_FILE } from './storage/data-log';
import { encodeLogRecord } from './storage/log-record';
import { encodeRecord } from './storage/record-file';
import { collectDeliveries } from './testing/collect-deliveries';
import { FakeClock } from './testing/fake-clock';
import { waitUntil } from './testing/wait-until';

interface Running {
  server: EsdbServer;
  client: EventStoreDBClient;
}

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'embedded-esdb-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, options: Partial<EsdbServerOptions> = {}): Promise<Running> {
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
  return { server, client };
}

async function stop(running: Running): Promise<void> {
  await running.client.dispose();
  await running.server.stop();
}

async function readAll(client: EventStoreDBClient, stream: string): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of client.readStream(stream, { resolveLinkTos: true })) events.push(resolved);
  return events;
}

const testEvents = (count: number) => Array.from({ length: count }, (_, n) => jsonEvent({ type: 'test-event', data: { n } }));

const streamSettings = (settings: Partial<PersistentSubscriptionToStreamSettings>) =>
  persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings });

describe('durable embedded server (dataDir)', () => {
  test('streams, positions, $tb metadata, soft deletes and tombstones survive a restart, and appends continue after them', async () => {
    const dataDir = newDataDir();
    const [kept, truncated, deleted, tombstoned] = Array.from({ length: 4 }, () => `s-${randomUUID()}`);
    const first = await start(dataDir);
    const written = await first.client.appendToStream(kept!, testEvents(3));
    await first.client.appendToStream(truncated!, testEvents(3));
    await first.client.setStreamMetadata(truncated!, { truncateBefore: 2 });
    await first.client.appendToStream(deleted!, testEvents(1));
    await first.client.deleteStream(deleted!);
    await first.client.appendToStream(tombstoned!, testEvents(1));
    await first.client.tombstoneStream(tombstoned!);
    const before = await readAll(first.client, kept!);
    await stop(first);

    const second = await start(dataDir);
    const after = await readAll(second.client, kept!);
    expect(after.map((e) => e.event)).toEqual(before.map((e) => e.event));
    expect(after.map((e) => e.event?.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect((await readAll(second.client, truncated!)).map((e) => e.event?.revision)).toEqual([2n]);
    await expect(readAll(second.client, deleted!)).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(second.client.appendToStream(tombstoned!, testEvents(1))).rejects.toBeInstanceOf(StreamDeletedError);

    const next = await second.client.appendToStream(kept!, testEvents(1));
    expect(next.nextExpectedRevision).toBe(3n);
    expect(next.position!.commit > written.position!.commit).toBe(true);
  });

  test('groups keep their settings, filter, checkpoint and parked messages across a restart; redelivery resumes after the checkpoint with retryCount 0', async () => {
    const dataDir = newDataDir();
    const stream = `s-${randomUUID()}`;
    const group = `g-${randomUUID()}`;
    const allGroup = `g-${randomUUID()}`;
    const type = `t-${randomUUID()}`;
    const settings = streamSettings({
      resolveLinkTos: true,
      extraStatistics: true,
      messageTimeout: 12_345,
      maxRetryCount: 3,
      checkPointAfter: 4_000,
      checkPointLowerBound: 1,
      checkPointUpperBound: 1,
      maxSubscriberCount: 5,
      liveBufferSize: 40,
      readBatchSize: 7,
      historyBufferSize: 60,
      consumerStrategyName: 'DispatchToSingle',
    });
    const allSettings = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: START, readBatchSize: 11 });

    const first = await start(dataDir);
    await first.client.appendToStream(stream, testEvents(5));
    await first.client.createPersistentSubscriptionToStream(stream, group, settings);
    await first.client.createPersistentSubscriptionToAll(allGroup, allSettings, { filter: eventTypeFilter({ prefixes: [type] }) });
    const subscription = first.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('five deliveries', () => received.length === 5);
    await subscription.nack('park', 'poison', received[0]!);
    await subscription.ack(received[1]!, received[2]!);
    // Upper bound 1: every ack writes a checkpoint (§2.5); 0 parked and 1, 2 acked → checkpoint 2.
    await waitUntil('checkpoint 2', async () => {
      const info = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.lastCheckpointedEventRevision === 2n;
    });
    const infoBefore = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
    const allInfoBefore = await first.client.getPersistentSubscriptionToAllInfo(allGroup);
    await subscription.unsubscribe();
    await stop(first);

    const second = await start(dataDir);
    const info = await second.client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.settings).toEqual(infoBefore.settings);
    expect(info.stats.lastCheckpointedEventRevision).toBe(2n);
    expect(info.stats.parkedMessageCount).toBe(1n);
    expect((await second.client.getPersistentSubscriptionToAllInfo(allGroup)).settings).toEqual(allInfoBefore.settings);

    const resumed = second.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const redelivered = collectDeliveries(resumed).received;
    await waitUntil('events 3 and 4', () => redelivered.length === 2);
    expect(redelivered.map((e) => `${e.event?.revision}/${e.retryCount}`)).toEqual(['3/0', '4/0']);
    await second.client.replayParkedMessagesToStream(stream, group);
    await waitUntil('the replayed parked event', () => redelivered.length === 3);
    expect(redelivered[2]!.event?.id).toBe(received[0]!.event?.id);

    const filtered = second.client.subscribeToPersistentSubscriptionToAll(allGroup);
    const filteredReceived: unknown[] = [];
    filtered.on('data', (event) => filteredReceived.push(event));
    filtered.on('error', () => undefined);
    await second.client.appendToStream(`s-${randomUUID()}`, [jsonEvent({ type: 'other', data: {} }), jsonEvent({ type, data: {} })]);
    await waitUntil('the matching event', () => filteredReceived.length === 1);
    await resumed.unsubscribe();
    await filtered.unsubscribe();
  });

  test('a filtered $all group resumes after its C:x/P:x checkpoint after a restart', async () => {
    const dataDir = newDataDir();
    const group = `g-${randomUUID()}`;
    const type = `t-${randomUUID()}`;
    const first = await start(dataDir);
    const a = await first.client.appendToStream(`a-${randomUUID()}`, jsonEvent({ type, data: { n: 0 } }));
    const b = await first.client.appendToStream(`b-${randomUUID()}`, jsonEvent({ type, data: { n: 1 } }));
    const settings = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: START, checkPointLowerBound: 1, checkPointUpperBound: 1 });
    await first.client.createPersistentSubscriptionToAll(group, settings, { filter: eventTypeFilter({ prefixes: [type] }) });
    const subscription = first.client.subscribeToPersistentSubscriptionToAll(group);
    const received: ResolvedEvent[] = [];
    subscription.on('data', (event) => received.push(event));
    subscription.on('error', () => undefined);
    await waitUntil('both events', () => received.length === 2);
    await subscription.ack(received[0]!);
    await waitUntil('the checkpoint at the first event', async () => {
      const info = await first.client.getPersistentSubscriptionToAllInfo(group);
      return info.stats.lastCheckpointedEventPosition?.commit === a.position!.commit;
    });
    await subscription.unsubscribe();
    await stop(first);

    const second = await start(dataDir);
    const resumed = second.client.subscribeToPersistentSubscriptionToAll(group);
    const redelivered: ResolvedEvent[] = [];
    resumed.on('data', (event) => redelivered.push(event));
    resumed.on('error', () => undefined);
    await waitUntil('the redelivery', () => redelivered.length === 1);
    await second.client.appendToStream(`c-${randomUUID()}`, jsonEvent({ type, data: { n: 2 } }));
    await waitUntil('the live event', () => redelivered.length === 2);

    expect(redelivered.map((e) => (e.event?.data as { n: number }).n)).toEqual([1, 2]);
    expect(redelivered[0]!.event?.position).toEqual(b.position);
    await resumed.unsubscribe();
  });

  test('a deleted group stays deleted after a restart, and one created again under its name starts without its old checkpoint', async () => {
    const dataDir = newDataDir();
    const stream = `s-${randomUUID()}`;
    const group = `g-${randomUUID()}`;
    const first = await start(dataDir);
    await first.client.appendToStream(stream, testEvents(2));
    await first.client.createPersistentSubscriptionToStream(stream, group, streamSettings({ checkPointLowerBound: 1, checkPointUpperBound: 1 }));
    const subscription = first.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    await waitUntil('two deliveries', () => received.length === 2);
    await subscription.ack(...received);
    await waitUntil('checkpoint 1', async () => {
      const info = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.lastCheckpointedEventRevision === 1n;
    });
    await subscription.unsubscribe();
    await first.client.deletePersistentSubscriptionToStream(stream, group);
    await stop(first);

    const second = await start(dataDir);
    expect(await second.client.listAllPersistentSubscriptions()).toEqual([]);
    await second.client.createPersistentSubscriptionToStream(stream, group, streamSettings({}));
    const info = await second.client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.stats.lastCheckpointedEventRevision).toBeUndefined();
  });

  test('after 25 acked events with default settings a restart redelivers from the event after the last written checkpoint, never before it', async () => {
    const dataDir = newDataDir();
    const stream = `s-${randomUUID()}`;
    const group = `g-${randomUUID()}`;
    const clock = new FakeClock();
    const first = await start(dataDir, { clock, tickIntervalMs: 10 });
    await first.client.appendToStream(stream, testEvents(30));
    await first.client.createPersistentSubscriptionToStream(stream, group, streamSettings({}));
    const subscription = first.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);
    subscription.on('data', (event) => {
      if (event.event!.revision < 25n) void subscription.ack(event);
    });
    await waitUntil('25 acks processed', async () => {
      const info = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
      return received.length === 30 && info.stats.outstandingMessagesCount === 5;
    });
    // checkPointAfter (2 s) has passed and ≥ checkPointLowerBound (10) are processed: the tick writes 24.
    clock.advance(2_000);
    await waitUntil('the timed checkpoint', async () => {
      const info = await first.client.getPersistentSubscriptionToStreamInfo(stream, group);
      return info.stats.lastCheckpointedEventRevision === 24n;
    });
    await stop(first);

    const second = await start(dataDir, { clock, tickIntervalMs: 10 });
    const checkpoints = await readAll(second.client, `$persistentsubscription-${stream}::${group}-checkpoint`);
    const lastWritten = Number(checkpoints[checkpoints.length - 1]!.event!.data);
    const resumed = second.client.subscribeToPersistentSubscriptionToStream(stream, group);
    const redelivered = collectDeliveries(resumed).received;
    await waitUntil('the redelivery', () => redelivered.length === 29 - lastWritten);

    expect(lastWritten).toBe(24);
    expect(redelivered.map((e) => `${e.event?.revision}/${e.retryCount}`)).toEqual(['25/0', '26/0', '27/0', '28/0', '29/0']);
    await resumed.unsubscribe();
  });

  test('concurrent single appends acknowledged through group commit are all there after the server process is killed', async () => {
    const dataDir = newDataDir();
    const child = await startEmbeddedEsdb({ port: 0, dataDir });
    cleanups.push(() => child.stop());
    const client = EventStoreDBClient.connectionString(child.connectionString);
    cleanups.push(() => client.dispose());
    const streams = Array.from({ length: 40 }, () => `s-${randomUUID()}`);
    const acks = await Promise.all(streams.map((stream, n) => client.appendToStream(stream, jsonEvent({ type: 'test-event', data: { n } }))));
    // SIGKILL right after the last ack: no shutdown path runs, only what was synced survives.
    process.kill(child.pid!, 'SIGKILL');
    await child.stop();

    const restarted = await start(dataDir);
    for (const [n, stream] of streams.entries()) {
      const events = await readAll(restarted.client, stream);
      expect(events.map((e) => [e.event?.data, e.event?.position?.commit])).toEqual([[{ n }, acks[n]!.position!.commit]]);
    }
  });

  test('a torn final record is cut off with a warning and the server starts with everything written before it', async () => {
    const dataDir = newDataDir();
    const stream = `s-${randomUUID()}`;
    const first = await start(dataDir);
    await first.client.appendToStream(stream, testEvents(2));
    await stop(first);
    const file = path.join(dataDir, DATA_LOG_FILE);
    const intact = statSync(file).size;
    const record = encodeRecord(encodeLogRecord({ kind: 'remove', streamId: stream, tombstone: true }));
    appendFileSync(file, record.subarray(0, record.length - 3));

    const warnings: string[] = [];
    const second = await start(dataDir, { warn: (message) => warnings.push(message) });

    expect(warnings).toEqual([expect.stringContaining(`torn record at byte offset ${intact}`)]);
    expect(statSync(file).size).toBe(intact);
    expect((await readAll(second.client, stream)).map((e) => e.event?.revision)).toEqual([0n, 1n]);
    await second.client.appendToStream(stream, testEvents(1));
    await stop(second);
    const third = await start(dataDir, { warn: (message) => warnings.push(message) });
    expect((await readAll(third.client, stream)).map((e) => e.event?.revision)).toEqual([0n, 1n, 2n]);
    expect(warnings).toHaveLength(1);
  });

  test('a corrupt record in the middle of the log fails the start loudly with its byte offset', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    await first.client.appendToStream(`s-${randomUUID()}`, testEvents(1));
    await first.client.appendToStream(`s-${randomUUID()}`, testEvents(1));
    await stop(first);
    const file = path.join(dataDir, DATA_LOG_FILE);
    const bytes = readFileSync(file);
    // The first record starts after the 8-byte file header; flip a byte of its payload.
    bytes[8 + 12 + 3]! ^= 0xff;
    writeFileSync(file, bytes);

    await expect(createEsdbServer({ port: 0, dataDir })).rejects.toThrow(/corrupt record at byte offset 8 /);
  });
});
