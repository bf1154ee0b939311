/**
 * A secure node (TLS certificate given): the official client verifies it against a throwaway CA,
 * and the default users and ACL rules of esdb-semantics §4.5 apply.
 */
import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEsdbServer, type EsdbServer } from './create-esdb-server';
import { collectDeliveries } from './testing/collect-deliveries';
import { createThrowawayCerts, type ThrowawayCerts } from './testing/throwaway-certs';
import { waitUntil } from './testing/wait-until';

let certs: ThrowawayCerts;
let server: EsdbServer;
const clients: EventStoreDBClient[] = [];

/**
 * A client that trusts the CA, signed in as `user:password` (anonymous when omitted). It connects
 * by name: TLS SNI with an IP address is deprecated in Node.
 */
function clientAs(credentials?: string): EventStoreDBClient {
  const base = `esdb://${credentials ? `${credentials}@` : ''}localhost:${server.port}?tls=true`;
  const client = EventStoreDBClient.connectionString(`${base}&tlsCAFile=${encodeURIComponent(certs.caFile)}`);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  certs = createThrowawayCerts();
  server = await createEsdbServer({ port: 0, tls: { cert: certs.cert, key: certs.key } });
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await server?.stop();
  certs?.remove();
});

const settings = () => persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START });
const newStream = () => `s-${randomUUID()}`;
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('embedded server with a TLS certificate', () => {
  test('advertises tls=true and serves appends and persistent subscriptions to admin, who is reported as the connection user', async () => {
    expect(server.connectionString).toBe(`esdb://127.0.0.1:${server.port}?tls=true`);
    const admin = clientAs('admin:changeit');
    const stream = newStream();
    const group = `g-${randomUUID()}`;
    await admin.appendToStream(stream, jsonEvent({ type: 'test-event', data: { secure: true } }));
    await admin.createPersistentSubscriptionToStream(stream, group, settings());
    const subscription = admin.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(subscription);

    await waitUntil('the delivery', () => received.length === 1);

    expect(received[0]!.event?.data).toEqual({ secure: true });
    const info = await admin.getPersistentSubscriptionToStreamInfo(stream, group);
    expect(info.connections.map((c) => c.username)).toEqual(['admin']);
    await subscription.unsubscribe();
  });

  test('a client that does not trust the CA fails with UNAVAILABLE', async () => {
    const untrusting = EventStoreDBClient.connectionString(`esdb://localhost:${server.port}?tls=true`);
    clients.push(untrusting);
    const error = (await failureOf(untrusting.appendToStream(newStream(), jsonEvent({ type: 'test-event', data: {} })))) as
      | { code?: number; type?: string }
      | undefined;
    expect(error?.code === 14 || error?.type === 'unavailable').toBe(true);
  });

  test('wrong credentials fail with UNAUTHENTICATED, which the client reports as AccessDeniedError', async () => {
    const wrong = clientAs('admin:wrong');
    const error = await failureOf(wrong.appendToStream(newStream(), jsonEvent({ type: 'test-event', data: {} })));
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as { code?: number }).code).toBe(16);
  });

  test('anonymous callers may use user streams but not GetInfo, List, Create or system streams', async () => {
    const anonymous = clientAs();
    const stream = newStream();
    const group = `g-${randomUUID()}`;
    await anonymous.appendToStream(stream, jsonEvent({ type: 'test-event', data: {} }));
    await clientAs('ops:changeit').createPersistentSubscriptionToStream(stream, group, settings());

    expect(await failureOf(anonymous.createPersistentSubscriptionToStream(stream, `g-${randomUUID()}`, settings()))).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(anonymous.getPersistentSubscriptionToStreamInfo(stream, group))).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(anonymous.listAllPersistentSubscriptions())).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(anonymous.appendToStream(`$system-${randomUUID()}`, jsonEvent({ type: 'test-event', data: {} })))).toBeInstanceOf(
      AccessDeniedError,
    );
  });

  test('ops may manage groups but not read system streams; admin may', async () => {
    const ops = clientAs('ops:changeit');
    const admin = clientAs('admin:changeit');
    const stream = newStream();
    const group = `g-${randomUUID()}`;
    await ops.appendToStream(stream, jsonEvent({ type: 'test-event', data: {} }));
    await ops.createPersistentSubscriptionToStream(stream, group, settings());
    await ops.replayParkedMessagesToStream(stream, group);
    const parked = `$persistentsubscription-${stream}::${group}-parked`;
    const readAll = async (client: EventStoreDBClient) => {
      for await (const _ of client.readStream(parked)) void _;
    };

    expect(await failureOf(readAll(ops))).toBeInstanceOf(AccessDeniedError);
    expect((await failureOf(readAll(admin)) as { type?: string }).type).toBe('stream-not-found');
    await ops.deletePersistentSubscriptionToStream(stream, group);
  });
});
