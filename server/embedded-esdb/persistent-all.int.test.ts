import { randomUUID } from 'node:crypto';
import {
  END,
  eventTypeFilter,
  type EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToAllSettingsFromDefaults,
  START,
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

describe('persistent subscriptions to $all (official client against the embedded server)', () => {
  test('a filtered $all group delivers only matching events from every stream, with $all positions', async () => {
    const type = `t-${randomUUID()}`;
    const group = `g-${randomUUID()}`;
    const first = await client.appendToStream(`a-${randomUUID()}`, jsonEvent({ type, data: { n: 1 } }));
    await client.appendToStream(`b-${randomUUID()}`, jsonEvent({ type: 'other', data: {} }));
    const settings = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: START, checkPointUpperBound: 2, checkPointLowerBound: 1 });
    await client.createPersistentSubscriptionToAll(group, settings, { filter: eventTypeFilter({ prefixes: [type] }) });
    const subscription = client.subscribeToPersistentSubscriptionToAll(group);
    const received: Array<{ type?: string; commit?: bigint; retryCount: number }> = [];
    subscription.on('data', (event) => {
      received.push({ type: event.event?.type, commit: event.event?.position?.commit, retryCount: event.retryCount });
      void subscription.ack(event);
    });
    subscription.on('error', () => undefined);

    const second = await client.appendToStream(`c-${randomUUID()}`, jsonEvent({ type, data: { n: 2 } }));
    await waitUntil('both matching events', () => received.length === 2);
    const info = await waitUntil('the checkpoint', async () => {
      const current = await client.getPersistentSubscriptionToAllInfo(group);
      return current.stats.lastCheckpointedEventPosition !== undefined && current;
    });

    expect(received).toEqual([
      { type, commit: first.position?.commit, retryCount: 0 },
      { type, commit: second.position?.commit, retryCount: 0 },
    ]);
    expect(info.eventSource).toBe('$all');
    expect(info.settings).toEqual(settings);
    expect(info.stats.lastCheckpointedEventPosition).toEqual(second.position);
    await subscription.unsubscribe();
  });

  test('$all group settings starting from END round-trip through GetInfo', async () => {
    const group = `g-${randomUUID()}`;
    const settings = persistentSubscriptionToAllSettingsFromDefaults({ startFrom: END, maxRetryCount: 4 });
    await client.createPersistentSubscriptionToAll(group, settings);

    const info = await client.getPersistentSubscriptionToAllInfo(group);

    expect(info.settings).toEqual(settings);
    expect(info.status).toBe('Live');
  });
});
