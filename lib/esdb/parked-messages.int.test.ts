/**
 * Parked-message browsing and replay against the embedded EventStoreDB-compatible server with
 * the official client (esdb-semantics.md §3.1–3.3).
 */
import { randomUUID } from 'node:crypto';
import {
  binaryEvent,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type PersistentSubscriptionToStream,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedEsdb, type EmbeddedEsdb } from '../../test/helpers/server-fixtures';
import { waitFor } from '../../test/helpers/wait-for';
import { listParkedMessages, readParkedWindow, replayParkedMessages } from './parked-messages';

let esdb: EmbeddedEsdb;
let client: EventStoreDBClient;

beforeAll(async () => {
  esdb = await startEmbeddedEsdb({ port: 0 });
  client = EventStoreDBClient.connectionString(esdb.connectionString);
});

afterAll(async () => {
  await client?.dispose();
  await esdb?.stop();
});

const HOSTILE = '<img src=x onerror=alert(1)> </script>';
const BINARY = Uint8Array.from([0, 1, 2, 255]);

interface Parked {
  stream: string;
  group: string;
  ids: string[];
  /** Original event ids of replayed deliveries (they arrive with the parked link), acked. */
  replayed: string[];
  /** Failed acks/nacks: none expected. */
  failures: unknown[];
  subscription: PersistentSubscriptionToStream;
}

/**
 * Appends a JSON event with hostile text, a binary event and a JSON event with metadata to a
 * fresh stream, and nack-parks each first delivery with `reason-<revision>`. Replayed deliveries
 * (those carrying the parked link) are acked and recorded.
 */
async function parkThree(): Promise<Parked> {
  const stream = `orders-${randomUUID()}`;
  const group = `fraud-${randomUUID()}`;
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  await client.appendToStream(stream, [
    jsonEvent({ id: ids[0], type: 'OrderPlaced', data: { orderId: 'o-1', note: HOSTILE } }),
    binaryEvent({ id: ids[1], type: 'Blob', data: BINARY }),
    jsonEvent({ id: ids[2], type: 'OrderShipped', data: { orderId: 'o-1' }, metadata: { source: 'test' } }),
  ]);
  await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
  const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
  const replayed: string[] = [];
  const failures: unknown[] = [];
  subscription.on('data', (resolved) => {
    const run = resolved.link
      ? (replayed.push(resolved.event!.id), subscription.ack(resolved))
      : subscription.nack('park', `reason-${resolved.event!.revision}`, resolved);
    run.catch((error: unknown) => failures.push(error));
  });
  // Why: unsubscribe() ends the call with an error event; without a listener it would crash the worker.
  subscription.on('error', () => undefined);
  await waitFor(async () => (await readParkedWindow(client, stream, group)).total === 3, { message: 'three parked messages' });
  return { stream, group, ids, replayed, failures, subscription };
}

describe('parked messages', () => {
  it('lists parked events oldest first with reason, time, original stream@revision, JSON as pretty text and binary as base64', async () => {
    const parked = await parkThree();
    try {
      const before = Date.now();
      const page = await listParkedMessages(client, { stream: parked.stream, group: parked.group, limit: 50 });
      expect(page.total).toBe(3);
      expect(page.first).toBe(0);
      expect(page.next).toBeNull();
      expect(page.parked.map((p) => p.parkedEventNumber)).toEqual([0, 1, 2]);
      expect(page.parked.map((p) => p.eventId)).toEqual(parked.ids);
      expect(page.parked.map((p) => `${p.stream}@${p.revision}`)).toEqual([0, 1, 2].map((r) => `${parked.stream}@${r}`));
      expect(page.parked.map((p) => p.type)).toEqual(['OrderPlaced', 'Blob', 'OrderShipped']);
      expect(page.parked.map((p) => p.reason)).toEqual([0, 1, 2].map((r) => `Client explicitly NAK'ed message.\nreason-${r}`));
      for (const p of page.parked) {
        expect(Number.isNaN(Date.parse(p.parkedAt ?? ''))).toBe(false);
        expect(Date.parse(p.parkedAt!)).toBeLessThanOrEqual(before + 1000);
      }
      const [json, binary, withMetadata] = page.parked;
      expect(json).toMatchObject({ data: JSON.stringify({ orderId: 'o-1', note: HOSTILE }, null, 2), dataEncoding: 'json' });
      expect(binary).toMatchObject({ data: Buffer.from(BINARY).toString('base64'), dataEncoding: 'base64' });
      expect(withMetadata).toMatchObject({ metadata: JSON.stringify({ source: 'test' }, null, 2), metadataEncoding: 'json' });
      expect(parked.failures).toEqual([]);
    } finally {
      await parked.subscription.unsubscribe();
    }
  });

  it('pages with limit and an absolute from', async () => {
    const parked = await parkThree();
    try {
      const ref = { stream: parked.stream, group: parked.group };
      const first = await listParkedMessages(client, { ...ref, limit: 2 });
      expect(first).toMatchObject({ total: 3, first: 0, next: 2 });
      expect(first.parked.map((p) => p.parkedEventNumber)).toEqual([0, 1]);
      const second = await listParkedMessages(client, { ...ref, limit: 2, from: 2 });
      expect(second).toMatchObject({ total: 3, next: null });
      expect(second.parked.map((p) => p.eventId)).toEqual([parked.ids[2]]);
      expect((await listParkedMessages(client, { ...ref, limit: 2, from: 3 })).parked).toEqual([]);
      expect(parked.failures).toEqual([]);
    } finally {
      await parked.subscription.unsubscribe();
    }
  });

  it('replays with stopAt=2: two messages are redelivered and, after $tb, two fewer are parked', async () => {
    const parked = await parkThree();
    try {
      const ref = { stream: parked.stream, group: parked.group };
      expect(await replayParkedMessages(client, { ...ref, stopAt: 2 })).toEqual({ requested: 2, parkedBefore: 3 });
      await waitFor(() => parked.replayed.length === 2, { message: 'two replayed deliveries' });
      expect(parked.replayed).toEqual(parked.ids.slice(0, 2));
      const after = await waitFor(
        async () => {
          const page = await listParkedMessages(client, { ...ref, limit: 50 });
          return page.total === 1 ? page : null;
        },
        { message: 'the parked count down by two' },
      );
      expect(after.first).toBe(2);
      expect(after.parked.map((p) => p.eventId)).toEqual([parked.ids[2]]);
      // From before the truncation: entries under $tb are never listed.
      expect((await listParkedMessages(client, { ...ref, limit: 50, from: 0 })).parked.map((p) => p.parkedEventNumber)).toEqual([2]);
      // stopAt is absolute: after the truncation the rest needs stopAt 3, not 1.
      expect(await replayParkedMessages(client, { ...ref, stopAt: 3 })).toEqual({ requested: 1, parkedBefore: 1 });
      await waitFor(() => parked.replayed.length === 3, { message: 'the last replayed delivery' });
      // A stopAt at or below the truncation covers nothing and is not sent (it could replay everything).
      expect(await replayParkedMessages(client, { ...ref, stopAt: 1 })).toEqual({ requested: 0, parkedBefore: 0 });
      await waitFor(async () => (await readParkedWindow(client, ref.stream, ref.group)).total === 0, { message: 'nothing parked' });
      expect(parked.failures).toEqual([]);
    } finally {
      await parked.subscription.unsubscribe();
    }
  });

  it('reads a group that never parked anything as empty', async () => {
    const page = await listParkedMessages(client, { stream: `s-${randomUUID()}`, group: `g-${randomUUID()}`, limit: 10 });
    expect(page).toEqual({ total: 0, first: null, next: null, parked: [] });
  });
});
