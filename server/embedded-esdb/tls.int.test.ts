import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, START } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEsdbServer, type EsdbServer } from './create-esdb-server';
import { collectDeliveries } from './testing/collect-deliveries';
import { createThrowawayCerts, type ThrowawayCerts } from './testing/throwaway-certs';
import { waitUntil } from './testing/wait-until';

let certs: ThrowawayCerts;
let server: EsdbServer;
let client: EventStoreDBClient;

beforeAll(async () => {
  certs = createThrowawayCerts();
  server = await createEsdbServer({ port: 0, tls: { cert: certs.cert, key: certs.key } });
  client = EventStoreDBClient.connectionString(`${server.connectionString}&tlsCAFile=${encodeURIComponent(certs.caFile)}`);
});

afterAll(async () => {
  await client?.dispose();
  await server?.stop();
  certs?.remove();
});

describe('embedded server with a TLS certificate', () => {
  test('advertises tls=true and serves appends, reads and persistent subscriptions to a client that trusts the CA', async () => {
    expect(server.connectionString).toBe(`esdb://127.0.0.1:${server.port}?tls=true`);
    const stream = `s-${randomUUID()}`;
    const group = `g-${randomUUID()}`;
    await client.appendToStream(stream, jsonEvent({ type: 'test-event', data: { secure: true } }));
    await client.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    const subscription = client.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('the delivery', () => received.length === 1);

    expect(received[0]!.event?.data).toEqual({ secure: true });
    const info = await client.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.connections).toHaveLength(1);
    await subscription.unsubscribe();
  });

  test('a client that does not trust the CA fails with UNAVAILABLE', async () => {
    const untrusting = EventStoreDBClient.connectionString(server.connectionString);
    try {
      const error = await untrusting.appendToStream(`s-${randomUUID()}`, jsonEvent({ type: 'test-event', data: {} })).then(
        () => undefined,
        (e: unknown) => e as { code?: number; type?: string },
      );
      expect(error?.code === 14 || error?.type === 'unavailable').toBe(true);
    } finally {
      await untrusting.dispose();
    }
  });
});
