/**
 * Failure states against the embedded server (esdb-semantics §4.3, §4.5, §2.6): each cause shows as
 * the subscriber's failure kind with one warn line, reconnects back off (attempts are spaced by the
 * growing backoff delay, never a hot loop), and the subscriber goes live once the cause is removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedEsdb, startEsdbFixture, stopEsdbFixture, type EsdbFixture } from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { createMemoryDedupStore } from '../dedup/memory-dedup-store';
import type { ConnectionFailureKind } from './connection-failure';
import { createDeduplicatingSubscriber } from './deduplicating-subscriber';

let fixture: EsdbFixture;

beforeAll(async () => {
  fixture = await startEsdbFixture('subwatch-failure-states-int-');
});

afterAll(() => stopEsdbFixture(fixture));

interface LogLine {
  level: number;
  time: number;
  msg: string;
  kind?: string;
  delayMs?: number;
}

const BACKOFF = { initialMs: 50, maxMs: 200, jitter: 0 };
/** Attempts observed per failure: enough to see the delay grow to its cap. */
const ATTEMPTS = 5;

/** A subscriber on `client` with a handler sink that records event ids, and its log lines. */
function start(client: EventStoreDBClient, stream: string, group: string) {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const delivered: string[] = [];
  const subscriber = createDeduplicatingSubscriber({
    client,
    stream,
    group,
    store: createMemoryDedupStore(),
    logger,
    backoff: BACKOFF,
    sink: async (delivery) => {
      delivered.push(delivery.eventId);
      return { outcome: 'ok' };
    },
  });
  subscriber.start();
  return { subscriber, lines, delivered };
}

type Started = ReturnType<typeof start>;

const attemptsAfter = (lines: LogLine[], from: number) => lines.filter((l) => l.msg === 'subscribing' && l.time >= from);

/**
 * Waits until the failure `kind` was reported and retried `ATTEMPTS` times; checks the state, the
 * one warn line, and that consecutive attempts are at least the (growing, capped) backoff apart.
 */
async function expectBackingOff(s: Started, kind: ConnectionFailureKind, messagePattern: RegExp): Promise<void> {
  const failure = await waitFor(() => (s.subscriber.getFailure()?.kind === kind ? s.subscriber.getFailure() : null), {
    message: () => `failure ${kind} (now ${JSON.stringify(s.subscriber.getFailure())})`,
  });
  const since = Date.parse(failure.since);
  await waitFor(() => attemptsAfter(s.lines, since).length >= ATTEMPTS + 1, {
    message: () => `${ATTEMPTS} reconnect attempts after ${kind} (have ${attemptsAfter(s.lines, since).length})`,
  });
  const summary = s.subscriber.getSummary();
  expect(['backoff', 'connecting']).toContain(summary.state);
  expect(summary.failure).toMatchObject({ kind, message: expect.stringMatching(messagePattern) });

  const warnings = s.lines.filter((l) => l.level === 40 && l.kind === kind);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]?.msg).toMatch(/^subscriber not live: /);

  // No hot loop: each attempt waits for its backoff delay (50 → 100 → 200 → 200 ms, jitter 0);
  // pino times are whole milliseconds, hence the 1 ms of slack.
  const attempts = attemptsAfter(s.lines, since).slice(0, ATTEMPTS + 1);
  const delays = s.lines.filter((l) => l.msg === 'reconnecting after backoff' && l.time >= since).map((l) => l.delayMs ?? 0);
  for (let i = 1; i < attempts.length; i++) {
    const gap = attempts[i]!.time - attempts[i - 1]!.time;
    expect(gap).toBeGreaterThanOrEqual(Math.min(delays[i - 1] ?? BACKOFF.initialMs, BACKOFF.maxMs) - 1);
  }
  expect(Math.max(...delays)).toBe(BACKOFF.maxMs);
}

async function expectRecovered(s: Started, kind: ConnectionFailureKind): Promise<void> {
  await waitFor(() => s.subscriber.getSummary().state === 'live', { timeoutMs: 15_000, message: `live again after ${kind}` });
  expect(s.subscriber.getSummary().failure).toBeNull();
  expect(s.lines.filter((l) => l.msg === 'subscriber live again' && l.kind === kind)).toHaveLength(1);
}

async function seedGroup(client: EventStoreDBClient, settings: { maxSubscriberCount?: number } = {}) {
  const stream = `orders-${randomUUID()}`;
  const group = `billing-${randomUUID()}`;
  const id = randomUUID();
  await client.appendToStream(stream, jsonEvent({ id, type: 'OrderPlaced', data: { n: 0 } }));
  await client.createPersistentSubscriptionToStream(
    stream,
    group,
    persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START, ...settings }),
  );
  return { stream, group, id };
}

describe('subscriber failure states against the embedded server', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('maximum-subscribers-reached while another client holds the only slot; live once it leaves', async () => {
    const { admin } = fixture;
    const { stream, group, id } = await seedGroup(admin, { maxSubscriberCount: 1 });
    const other = admin.subscribeToPersistentSubscriptionToStream(stream, group);
    other.on('error', () => undefined); // cancelled by unsubscribe below
    await new Promise<void>((resolve) => other.once('confirmation', () => resolve()));
    const client = EventStoreDBClient.connectionString(fixture.esdb.connectionString);
    const s = start(client, stream, group);
    cleanups.push(() => s.subscriber.stop(), () => client.dispose());

    await expectBackingOff(s, 'maximum-subscribers-reached', /Maximum subscriptions reached for subscription group/);
    expect(s.subscriber.getSummary().epoch).toBe(0);

    await other.unsubscribe();
    await expectRecovered(s, 'maximum-subscribers-reached');
    // The other client's unacked delivery is retried to the subscriber.
    await waitFor(() => s.delivered.includes(id), { message: 'the event after the slot freed up' });
  });

  it('group-missing while the group does not exist (not created without createIfMissing); live once it is created', async () => {
    const { admin } = fixture;
    const stream = `orders-${randomUUID()}`;
    const group = `billing-${randomUUID()}`;
    const client = EventStoreDBClient.connectionString(fixture.esdb.connectionString);
    const s = start(client, stream, group);
    cleanups.push(() => s.subscriber.stop(), () => client.dispose());

    await expectBackingOff(s, 'group-missing', /does not exist/);
    await expect(admin.getPersistentSubscriptionToStreamInfo(stream, group)).rejects.toMatchObject({
      type: 'persistent-subscription-does-not-exist',
    });

    const id = randomUUID();
    await admin.appendToStream(stream, jsonEvent({ id, type: 'OrderPlaced', data: { n: 0 } }));
    await admin.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    await expectRecovered(s, 'group-missing');
    await waitFor(() => s.delivered.includes(id), { message: 'the event once the group exists' });
  });

  it('server-unavailable while the server is stopped; live again when it is back on the same port with its data', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'subwatch-failure-down-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let server = await startEmbeddedEsdb({ port: 0, dataDir });
    cleanups.push(() => server.stop());
    const client = EventStoreDBClient.connectionString(server.connectionString);
    const { stream, group, id } = await seedGroup(client);
    const s = start(client, stream, group);
    cleanups.push(() => s.subscriber.stop(), () => client.dispose());
    await waitFor(() => s.delivered.includes(id), { message: 'the first event before the server stops' });

    await server.stop();
    await expectBackingOff(s, 'server-unavailable', /UNAVAILABLE/);

    server = await startEmbeddedEsdb({ port: server.port, dataDir });
    await expectRecovered(s, 'server-unavailable');
    const next = randomUUID();
    await client.appendToStream(stream, jsonEvent({ id: next, type: 'OrderPlaced', data: { n: 1 } }));
    await waitFor(() => s.delivered.includes(next), { message: 'an event appended after the restart' });
  });

  it('stream-deleted when the group faults reading its hard-deleted stream; keeps backing off without a hot loop', async () => {
    const { admin } = fixture;
    const { stream, group, id } = await seedGroup(admin);
    const client = EventStoreDBClient.connectionString(fixture.esdb.connectionString);
    const s = start(client, stream, group);
    cleanups.push(() => s.subscriber.stop(), () => client.dispose());
    await waitFor(() => s.delivered.includes(id), { message: 'the event before the stream is deleted' });

    await admin.tombstoneStream(stream);
    // The group reloads (as after a server restart) and its history read fails: it is faulted and
    // drops every client that connects (esdb-semantics §2.6); the subscriber names the cause.
    await admin.restartPersistentSubscriptionSubsystem();
    await expectBackingOff(s, 'stream-deleted', /StreamDeletedError.*was dropped/);
    // A tombstone is permanent: the operator removes the proxy or the group; there is nothing to recover.
    expect(s.subscriber.getSummary().epoch).toBe(1);
  });
});
