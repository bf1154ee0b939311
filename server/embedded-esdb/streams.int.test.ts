import { randomUUID } from 'node:crypto';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  eventTypeFilter,
  START,
  jsonEvent,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { EsdbServer } from './create-esdb-server';
import { startServerWithClient, stopServerWithClient } from './testing/server-with-client';
import { waitUntil } from './testing/wait-until';

let server: EsdbServer;
let client: EventStoreDBClient;

beforeAll(async () => {
  ({ server, client } = await startServerWithClient());
});

afterAll(() => stopServerWithClient({ server, client }));

const newStream = () => `s-${randomUUID()}`;

async function appendEvents(stream: string, count: number) {
  return client.appendToStream(
    stream,
    Array.from({ length: count }, (_, n) => jsonEvent({ type: 'test-event', data: { n } })),
  );
}

async function collect(read: AsyncIterable<ResolvedEvent>): Promise<ResolvedEvent[]> {
  const events: ResolvedEvent[] = [];
  for await (const resolved of read) events.push(resolved);
  return events;
}

describe('streams (official client against the embedded server)', () => {
  test('an append returns the last revision and a position, and the events read back forwards in order', async () => {
    const stream = newStream();

    const result = await appendEvents(stream, 3);
    const events = await collect(client.readStream(stream));

    expect(result.success).toBe(true);
    expect(result.nextExpectedRevision).toBe(2n);
    expect(events.map((e) => e.event?.revision)).toEqual([0n, 1n, 2n]);
    expect(events.map((e) => e.event?.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(events[2]!.event?.position).toEqual(result.position);
  });

  test('a read backwards from the end with a count returns the newest events first', async () => {
    const stream = newStream();
    await appendEvents(stream, 5);

    const events = await collect(client.readStream(stream, { direction: BACKWARDS, fromRevision: END, maxCount: 2 }));

    expect(events.map((e) => e.event?.revision)).toEqual([4n, 3n]);
  });

  test('a read forwards from a revision is inclusive', async () => {
    const stream = newStream();
    await appendEvents(stream, 5);

    const events = await collect(client.readStream(stream, { fromRevision: 3n }));

    expect(events.map((e) => e.event?.revision)).toEqual([3n, 4n]);
  });

  test('reading a stream that does not exist fails with StreamNotFoundError', async () => {
    await expect(collect(client.readStream(newStream()))).rejects.toBeInstanceOf(StreamNotFoundError);
  });

  test('no_stream, stream_exists and an exact revision are checked against the current revision', async () => {
    const stream = newStream();

    await expect(
      client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 'stream_exists' }),
    ).rejects.toBeInstanceOf(WrongExpectedVersionError);
    const first = await client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 'no_stream' });
    const second = await client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 0n });
    const third = await client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 'stream_exists' });
    await expect(
      client.appendToStream(stream, jsonEvent({ type: 'x', data: {} }), { expectedRevision: 0n }),
    ).rejects.toMatchObject({ expectedVersion: 0n, actualVersion: 2n });

    expect([first.nextExpectedRevision, second.nextExpectedRevision, third.nextExpectedRevision]).toEqual([0n, 1n, 2n]);
  });

  test('reading $all backwards returns the latest appended event first', async () => {
    const stream = newStream();
    const result = await appendEvents(stream, 1);

    const events = await collect(client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));

    expect(events[0]!.event?.streamId).toBe(stream);
    expect(events[0]!.event?.position).toEqual(result.position);
  });

  test('a deleted stream reads as not found and a new append restarts it after the old revisions', async () => {
    const stream = newStream();
    await appendEvents(stream, 2);

    await client.deleteStream(stream);
    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamNotFoundError);
    await appendEvents(stream, 1);

    const events = await collect(client.readStream(stream));
    expect(events.map((e) => e.event?.revision)).toEqual([2n]);
  });

  test('a tombstoned stream can be neither read nor written', async () => {
    const stream = newStream();
    await appendEvents(stream, 1);

    await client.tombstoneStream(stream);

    await expect(collect(client.readStream(stream))).rejects.toBeInstanceOf(StreamDeletedError);
    await expect(appendEvents(stream, 1)).rejects.toBeInstanceOf(StreamDeletedError);
  });

  test('a delete with the wrong expected revision fails with WrongExpectedVersionError', async () => {
    const stream = newStream();
    await appendEvents(stream, 2);

    await expect(client.deleteStream(stream, { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);
  });

  test('a client discovering the cluster through gossip finds this server as the leader', async () => {
    const discovering = EventStoreDBClient.connectionString(`esdb+discover://127.0.0.1:${server.port}?tls=false`);
    try {
      const result = await discovering.appendToStream(newStream(), jsonEvent({ type: 'x', data: {} }));
      expect(result.success).toBe(true);
    } finally {
      await discovering.dispose();
    }
  });

  test('a catch-up subscription to a stream delivers the history and then live events', async () => {
    const stream = newStream();
    await appendEvents(stream, 2);
    const subscription = client.subscribeToStream(stream, { fromRevision: START });
    const revisions: bigint[] = [];
    subscription.on('data', (resolved: ResolvedEvent) => revisions.push(resolved.event!.revision));

    await waitUntil('the history', () => revisions.length === 2);
    await appendEvents(stream, 1);
    await waitUntil('the live event', () => revisions.length === 3);

    expect(revisions).toEqual([0n, 1n, 2n]);
    await subscription.unsubscribe();
  });

  test('a catch-up subscription from a revision starts after it', async () => {
    const stream = newStream();
    await appendEvents(stream, 3);
    const subscription = client.subscribeToStream(stream, { fromRevision: 1n });
    const revisions: bigint[] = [];
    subscription.on('data', (resolved: ResolvedEvent) => revisions.push(resolved.event!.revision));

    await waitUntil('the history', () => revisions.length === 1);
    expect(revisions).toEqual([2n]);
    await subscription.unsubscribe();
  });

  test('a filtered catch-up subscription to $all from the end delivers only new matching events', async () => {
    const type = `t-${randomUUID()}`;
    const subscription = client.subscribeToAll({ fromPosition: END, filter: eventTypeFilter({ prefixes: [type] }) });
    const types: string[] = [];
    subscription.on('data', (resolved: ResolvedEvent) => types.push(resolved.event!.type));
    await new Promise<void>((resolve) => subscription.once('confirmation', () => resolve()));

    await client.appendToStream(newStream(), [jsonEvent({ type: 'other', data: {} }), jsonEvent({ type, data: {} })]);
    await waitUntil('the matching event', () => types.length === 1);

    expect(types).toEqual([type]);
    await subscription.unsubscribe();
  });
});
