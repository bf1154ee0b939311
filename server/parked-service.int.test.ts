/**
 * The parked-message verbs as the runtime exposes them: NOT_FOUND mapping, and one `action`
 * live event per replay / park outcome (DESIGN.md §8), against the embedded server.
 */
import { randomUUID } from 'node:crypto';
import {
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldResponse, LiveEvent } from '../lib/api/schemas';
import { createTestLogger } from '../test/helpers/server-fixtures';
import { startEmbeddedEsdb, type EmbeddedEsdb } from './embedded-esdb';
import { createParkedService } from './parked-service';

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

const AT = new Date('2026-12-03T18:00:00.000Z');

/** `held`: event id → whether the subscriber's park succeeds (undefined: the group is not proxied). */
function setup(held: Map<string, boolean> | undefined, listed: HeldResponse = { held: [], total: 0 }) {
  const events: LiveEvent[] = [];
  const limits: Array<number | undefined> = [];
  const service = createParkedService({
    client,
    logger: createTestLogger(),
    emit: (event) => events.push(event),
    getSubscriber: () =>
      held && {
        park: (eventId: string) => Promise.resolve(held.get(eventId) ?? false),
        listHeld: (limit?: number) => (limits.push(limit), listed),
      },
    now: () => AT,
  });
  return { service, events, limits };
}

async function createGroup(): Promise<{ stream: string; group: string }> {
  const stream = `orders-${randomUUID()}`;
  const group = `g-${randomUUID()}`;
  await client.appendToStream(stream, jsonEvent({ type: 'OrderPlaced', data: {} }));
  await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
  return { stream, group };
}

describe('parked service', () => {
  it('answers NOT_FOUND for the parked messages and replay of a group that does not exist, and reports the failed replay', async () => {
    const { service, events } = setup(undefined);
    const ref = { stream: `s-${randomUUID()}`, group: `g-${randomUUID()}` };
    await expect(service.listParked({ ...ref, limit: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.replayParked({ ...ref, actor: 'admin (bearer)' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(events).toEqual([
      {
        event: 'action',
        data: { action: 'replay', ...ref, ok: false, message: `Replay failed: No persistent subscription ${ref.group} on ${ref.stream}`, at: AT.toISOString() },
      },
    ]);
  });

  it('lists an existing group without parked messages as empty and reports an accepted replay with its counts', async () => {
    const { service, events } = setup(undefined);
    const ref = await createGroup();
    expect(await service.listParked({ ...ref, limit: 10 })).toEqual({ total: 0, first: null, next: null, parked: [] });
    expect(await service.replayParked({ ...ref, actor: 'admin (session)' })).toEqual({ requested: 0, parkedBefore: 0 });
    expect(events).toEqual([
      {
        event: 'action',
        data: { action: 'replay', ...ref, ok: true, message: 'Replay of 0 of 0 parked message(s) requested by admin (session)', at: AT.toISOString() },
      },
    ]);
  });

  it('parks a delivery the subscriber holds and reports who parked it and why', async () => {
    const eventId = randomUUID();
    const { service, events } = setup(new Map([[eventId, true]]));
    const ref = { stream: 'orders', group: 'billing' };
    expect(await service.park({ ...ref, eventId, reason: 'sink keeps failing', actor: 'admin (bearer)' })).toBe(true);
    expect(events).toEqual([
      { event: 'action', data: { action: 'park', ...ref, ok: true, message: `Event ${eventId} parked by admin (bearer): sink keeps failing`, at: AT.toISOString() } },
    ]);
  });

  it('lists what the proxied group’s subscriber holds, with the limit asked for', async () => {
    const listed: HeldResponse = {
      total: 1,
      held: [
        {
          eventId: randomUUID(),
          key: 'order-1',
          stream: 'orders',
          revision: '4',
          type: 'OrderPlaced',
          retryCount: 2,
          epoch: 1,
          since: AT.toISOString(),
          phase: 'waiting-retry',
          lastOutcome: 'sink asked to retry: HTTP 503',
        },
      ],
    };
    const { service, limits } = setup(new Map(), listed);
    expect(await service.listHeld({ stream: 'orders', group: 'billing', limit: 20 })).toEqual(listed);
    expect(limits).toEqual([20]);
  });

  it('answers CONFLICT for the held deliveries of an existing group not proxied here, NOT_FOUND for a missing group', async () => {
    const { service } = setup(undefined);
    const ref = await createGroup();
    await expect(service.listHeld({ ...ref, limit: 100 })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not proxied') });
    await expect(service.listHeld({ stream: `s-${randomUUID()}`, group: `g-${randomUUID()}`, limit: 100 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('answers NOT_FOUND when no such delivery is held, or the group is not proxied here, and reports the refusal', async () => {
    const eventId = randomUUID();
    const ref = { stream: 'orders', group: 'billing' };
    const proxied = setup(new Map());
    await expect(proxied.service.park({ ...ref, eventId, actor: 'admin (bearer)' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('No delivery of'),
    });
    const notProxied = setup(undefined);
    await expect(notProxied.service.park({ ...ref, eventId, actor: 'admin (bearer)' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('not proxied'),
    });
    for (const { events } of [proxied, notProxied]) {
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: 'action', data: { action: 'park', ok: false } });
    }
  });
});
