/**
 * Per-stream ACLs on a secure node (esdb-semantics §4.5: reads need stream read access; all checks
 * off when insecure). The spec names no ACL details, so the expected values follow the real
 * server's documented ACL rules (README "Security"): `$acl` in `$$<stream>` with `$r`/`$w`/`$d`/
 * `$mr`/`$mw`, unset permissions from the `$settings` default ACL, `$all` = everyone, `$admins`
 * bypass. Users: `admin` ($admins, $ops) and `ops` ($ops).
 */
import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  EventStoreDBClient,
  jsonEvent,
  persistentSubscriptionToStreamSettingsFromDefaults,
  START,
  type StreamMetadata,
} from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEsdbServer, type EsdbServer } from './create-esdb-server';
import { collectDeliveries } from './testing/collect-deliveries';
import { createThrowawayCerts, type ThrowawayCerts } from './testing/throwaway-certs';
import { waitUntil } from './testing/wait-until';

let certs: ThrowawayCerts;
const servers: EsdbServer[] = [];
const clients: EventStoreDBClient[] = [];

beforeAll(() => {
  certs = createThrowawayCerts();
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const server of servers) await server.stop();
  certs?.remove();
});

async function secureServer(): Promise<EsdbServer> {
  const server = await createEsdbServer({ port: 0, tls: { cert: certs.cert, key: certs.key } });
  servers.push(server);
  return server;
}

/** A client trusting the throwaway CA, as `user:password` or anonymous. */
function clientAs(server: EsdbServer, credentials?: string): EventStoreDBClient {
  const base = `esdb://${credentials ? `${credentials}@` : ''}localhost:${server.port}?tls=true`;
  const client = EventStoreDBClient.connectionString(`${base}&tlsCAFile=${encodeURIComponent(certs.caFile)}`);
  clients.push(client);
  return client;
}

const event = () => jsonEvent({ type: 'test-event', data: {} });
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const readCount = async (client: EventStoreDBClient, stream: string) => {
  let count = 0;
  for await (const _ of client.readStream(stream)) count++;
  return count;
};

describe('per-stream ACLs in secure mode', () => {
  let server: EsdbServer;
  let admin: EventStoreDBClient;
  let ops: EventStoreDBClient;
  let anonymous: EventStoreDBClient;

  beforeAll(async () => {
    server = await secureServer();
    admin = clientAs(server, 'admin:changeit');
    ops = clientAs(server, 'ops:changeit');
    anonymous = clientAs(server);
  });

  /** A user stream with one event and the given `$acl` (set by admin). */
  async function streamWithAcl(acl: StreamMetadata['acl']): Promise<string> {
    const stream = `s-${randomUUID()}`;
    await admin.appendToStream(stream, event());
    await admin.setStreamMetadata(stream, { acl });
    return stream;
  }

  test('$r: only the listed roles (here the user ops) may read; $admins always may; unset permissions keep the default (writes open to $all)', async () => {
    const stream = await streamWithAcl({ readRoles: ['ops'] });

    expect(await failureOf(readCount(anonymous, stream))).toBeInstanceOf(AccessDeniedError);
    expect(await readCount(ops, stream)).toBe(1);
    expect(await readCount(admin, stream)).toBe(1);
    await anonymous.appendToStream(stream, event());
    expect(await readCount(ops, stream)).toBe(2);
  });

  test('$w: appends need one of the listed roles (here the group $ops); anonymous callers are refused', async () => {
    const stream = await streamWithAcl({ writeRoles: ['$ops'] });

    expect(await failureOf(anonymous.appendToStream(stream, event()))).toBeInstanceOf(AccessDeniedError);
    await ops.appendToStream(stream, event());
    expect(await readCount(anonymous, stream)).toBe(2);
  });

  test('$d: an empty role list lets nobody but $admins delete or tombstone the stream', async () => {
    const stream = await streamWithAcl({ deleteRoles: [] });

    expect(await failureOf(ops.deleteStream(stream))).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(anonymous.tombstoneStream(stream))).toBeInstanceOf(AccessDeniedError);
    expect(await readCount(ops, stream)).toBe(1);
    await admin.tombstoneStream(stream);
  });

  test('$mr and $mw guard the metadata stream $$<stream>: reading and changing metadata need them', async () => {
    const stream = await streamWithAcl({ metaReadRoles: ['ops'], metaWriteRoles: ['ops'] });

    expect(await failureOf(anonymous.getStreamMetadata(stream))).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(anonymous.setStreamMetadata(stream, { maxCount: 5 }))).toBeInstanceOf(AccessDeniedError);
    expect((await ops.getStreamMetadata(stream)).metadata?.acl).toEqual({ metaReadRoles: ['ops'], metaWriteRoles: ['ops'] });
    await ops.setStreamMetadata(stream, { acl: { metaReadRoles: ['ops'], metaWriteRoles: ['ops'] }, maxCount: 5 });
    expect((await admin.getStreamMetadata(stream)).metadata?.maxCount).toBe(5);
  });

  test('a persistent-subscription read needs read access to the group’s stream: ops may manage the group but not consume a stream only $admins may read', async () => {
    const stream = await streamWithAcl({ readRoles: ['$admins'] });
    const group = `g-${randomUUID()}`;
    await ops.createPersistentSubscriptionToStream(stream, group, persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));

    const denied = ops.subscribeToPersistentSubscriptionToStream(stream, group);
    const failure = new Promise((resolve) => denied.once('error', resolve));
    expect(await failure).toBeInstanceOf(AccessDeniedError);

    const allowed = admin.subscribeToPersistentSubscriptionToStream(stream, group);
    const { received } = collectDeliveries(allowed);
    await waitUntil('the delivery to admin', () => received.length === 1);
    await allowed.unsubscribe();
  });
});

describe('$settings default ACL in secure mode', () => {
  test('$userStreamAcl is the ACL of user streams without their own $acl; a stream’s own $acl still wins', async () => {
    const server = await secureServer();
    const admin = clientAs(server, 'admin:changeit');
    const ops = clientAs(server, 'ops:changeit');
    const anonymous = clientAs(server);
    const plain = `s-${randomUUID()}`;
    const open = `s-${randomUUID()}`;
    await anonymous.appendToStream(plain, event());
    await admin.appendToStream(open, event());
    await admin.setStreamMetadata(open, { acl: { readRoles: ['$all'] } });
    expect(await failureOf(anonymous.appendToStream('$settings', event()))).toBeInstanceOf(AccessDeniedError);

    await admin.appendToStream(
      '$settings',
      jsonEvent({ type: 'update-default-acl', data: { $userStreamAcl: { $r: '$admins', $w: ['ops'] }, $systemStreamAcl: { $r: '$admins' } } }),
    );

    expect(await failureOf(readCount(anonymous, plain))).toBeInstanceOf(AccessDeniedError);
    expect(await failureOf(readCount(ops, plain))).toBeInstanceOf(AccessDeniedError);
    expect(await readCount(admin, plain)).toBe(1);
    expect(await failureOf(anonymous.appendToStream(plain, event()))).toBeInstanceOf(AccessDeniedError);
    await ops.appendToStream(plain, event());
    expect(await readCount(anonymous, open)).toBe(1);
  });
});

describe('ACLs on an insecure node', () => {
  test('all checks are off when the server runs insecure (§4.5): a stream whose $acl grants nobody is still readable and writable', async () => {
    const server = await createEsdbServer({ port: 0 });
    servers.push(server);
    const client = EventStoreDBClient.connectionString(server.connectionString);
    clients.push(client);
    const stream = `s-${randomUUID()}`;
    await client.appendToStream(stream, event());
    await client.setStreamMetadata(stream, { acl: { readRoles: [], writeRoles: [], deleteRoles: [] } });

    await client.appendToStream(stream, event());
    expect(await readCount(client, stream)).toBe(2);
    await client.deleteStream(stream);
  });
});
