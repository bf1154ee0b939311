/**
 * Config-file proxies through the real composition root (`createRuntime`, no Next): groups are
 * created when configured, events reach each proxy's webhook, the service lists the proxied
 * groups with subscriber counters, a missing group without createIfMissing is shown as missing
 * with its subscriber in backoff, and a bad file fails at boot with every problem listed.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type EventStoreDBClient, jsonEvent, persistentSubscriptionToStreamSettingsFromDefaults, START } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsResponseSchema } from '../lib/api/schemas';
import { ConfigFileError } from '../lib/config/proxies-schema';
import { parseConfig } from '../lib/config/schema';
import { loadSubwatchConfigFile } from '../server/load-config-file';
import { createRuntime, type Runtime } from '../server/runtime';
import { createTestLogger, startEsdbFixture, stopEsdbFixture, type EmbeddedEsdb } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';

const logger = createTestLogger();
let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-proxies-int-'));
});

afterAll(() => stopEsdbFixture({ esdb, admin, dir }));

function writeConfig(content: unknown): string {
  const file = path.join(dir, `${randomUUID()}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

function configFor(file: string) {
  return parseConfig({
    ESDB_CONNECTION_STRING: esdb.connectionString,
    SUBWATCH_DATA_DIR: path.join(dir, randomUUID()),
    SUBWATCH_CONFIG: file,
    SUBWATCH_DEMO: '0',
  });
}

async function append(stream: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await admin.appendToStream(stream, ids.map((id) => jsonEvent({ id, type: 'OrderPlaced', data: { orderId: `order-${id}` } })));
  return ids;
}

describe('config-file proxies in the runtime', () => {
  let runtime: Runtime | undefined;
  let ordersHook: WebhookReceiver;
  let allHook: WebhookReceiver;

  afterAll(async () => {
    await runtime?.stop();
    await ordersHook?.close();
    await allHook?.close();
  });

  it('creates the configured groups, delivers to each webhook once, and lists them with subscriber counters', async () => {
    ordersHook = await startWebhookReceiver();
    allHook = await startWebhookReceiver();
    const orders = `orders-${randomUUID()}`;
    const missing = `refunds-${randomUUID()}`;
    const ids = await append(orders, 5);
    const other = await append(`other-${randomUUID()}`, 3);
    const file = writeConfig({
      proxies: [
        {
          stream: orders,
          group: 'billing',
          createIfMissing: { startFrom: 'start', maxRetryCount: 3 },
          bufferSize: 5,
          dedup: { key: 'data:orderId', retention: '12h' },
          sink: { type: 'webhook', url: ordersHook.url, headers: { 'x-api-key': 'k1' } },
        },
        {
          stream: '$all',
          group: `all-${randomUUID()}`,
          filter: { on: 'streamName', prefixes: [orders] },
          createIfMissing: { startFrom: 'start' },
          sink: { type: 'webhook', url: allHook.url, timeoutMs: 2000 },
        },
        { stream: missing, group: 'audit', sink: { type: 'webhook', url: ordersHook.url } },
      ],
      store: { type: 'sqlite' },
    });
    runtime = await createRuntime(configFor(file), logger);
    const service = runtime.service;

    await waitFor(() => ordersHook.calls.length >= 5 && allHook.calls.length >= 5, {
      timeoutMs: 20_000,
      message: () => `5 calls on each webhook (orders ${ordersHook.calls.length}, $all ${allHook.calls.length})`,
    });
    const more = await append(orders, 2);
    await waitFor(() => ordersHook.calls.length >= 7 && allHook.calls.length >= 7, { timeoutMs: 20_000, message: 'live events too' });

    expect(ordersHook.calls.map((c) => c.body.eventId).sort()).toEqual([...ids, ...more].sort());
    // dedup.key "data:orderId": the business key is the Idempotency-Key.
    expect(ordersHook.calls.map((c) => c.headers['idempotency-key']).sort()).toEqual([...ids, ...more].map((id) => `order-${id}`).sort());
    expect(ordersHook.calls.every((c) => c.headers['x-api-key'] === 'k1')).toBe(true);
    // The $all group only sees the filtered stream (never the other stream or system events).
    expect(allHook.calls.map((c) => c.body.stream)).toEqual(Array.from({ length: 7 }, () => orders));
    expect(allHook.calls.map((c) => c.body.eventId)).not.toContain(other[0]);
    expect(allHook.calls.map((c) => c.headers['idempotency-key']).sort()).toEqual([...ids, ...more].sort());

    const rows = await waitFor(
      async () => {
        const list = subscriptionsResponseSchema.parse({ subscriptions: await service.listSubscriptions() }).subscriptions;
        const billing = list.find((s) => s.stream === orders && s.group === 'billing');
        const all = list.find((s) => s.stream === '$all' && s.proxied);
        const audit = list.find((s) => s.stream === missing && s.group === 'audit');
        return billing?.subscriber?.delivered === 7 && all?.subscriber?.delivered === 7 && audit?.subscriber?.state === 'backoff'
          ? { billing, all, audit }
          : undefined;
      },
      { timeoutMs: 15_000, message: 'the service to list the three proxied groups with counters' },
    );
    expect(rows.billing).toMatchObject({
      proxied: true,
      subscriber: {
        state: 'live',
        received: 7,
        delivered: 7,
        duplicatesSuppressed: 0,
        duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
        parked: 0,
        failure: null,
      },
    });
    expect(rows.all).toMatchObject({ proxied: true, subscriber: { state: 'live', delivered: 7 } });
    expect(rows.audit).toMatchObject({
      proxied: true,
      status: 'NotFound',
      subscriber: { state: 'backoff', epoch: 0, failure: { kind: 'group-missing', message: expect.stringMatching(/does not exist/) } },
    });

    const settings = await admin.getPersistentSubscriptionToStreamInfo(orders, 'billing');
    expect(settings.settings.maxRetryCount).toBe(3);
    // Epoch counters reach the store on the subscriber's next flush (every second).
    await waitFor(async () => (await service.listEpochs({ stream: orders, group: 'billing', limit: 5 }))[0]?.delivered === 7, {
      message: 'the epoch record to count 7 delivered',
    });

    // Created by someone else later: the waiting subscriber goes live and delivers.
    const late = await append(missing, 1);
    await admin.createPersistentSubscriptionToStream(missing, 'audit', persistentSubscriptionToStreamSettingsFromDefaults({ startFrom: START }));
    await waitFor(() => ordersHook.calls.some((c) => c.body.eventId === late[0]), { timeoutMs: 20_000, message: 'the late group to deliver' });
  });

  it('fails at boot with every problem of a bad file listed, before starting anything', async () => {
    const file = writeConfig({
      proxies: [
        { stream: 'orders', group: 'billing', bufferSize: 0, sink: { type: 'webhook', url: 'localhost:4000' } },
        { stream: 'orders', group: 'billing', dedup: { retention: 'forever' }, sink: { type: 'webhook', url: 'http://127.0.0.1:1/' } },
      ],
    });
    const error = await createRuntime(configFor(file), logger).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigFileError);
    expect((error as ConfigFileError).problems).toEqual([
      'proxies[0].bufferSize: must be an integer 1–1000',
      'proxies[0].sink.url: must be an http(s) URL',
      'proxies[1].dedup.retention: must be a duration such as "7d", "12h", "30m" (units ms, s, m, h, d, w)',
      'proxies[1]: duplicate of proxies[0] (stream "orders", group "billing"): each stream/group pair can be proxied once',
    ]);
    expect((error as Error).message).toContain(`Invalid config file ${file}:`);
  });

  it('refuses a proxy on a demo group while the demo runs', async () => {
    const file = writeConfig({ proxies: [{ stream: 'demo-orders', group: 'demo-billing', sink: { type: 'webhook', url: 'http://127.0.0.1:1/' } }] });
    const config = parseConfig({ ESDB_CONNECTION_STRING: esdb.connectionString, SUBWATCH_DATA_DIR: path.join(dir, randomUUID()), SUBWATCH_DEMO: '1' });
    await expect(createRuntime(config, logger, { configFile: loadSubwatchConfigFile(file) })).rejects.toThrow(
      'proxies[0]: demo-orders/demo-billing is a demo group; pick another group or set SUBWATCH_DEMO=0',
    );
  });

  it('server/main.ts exits 1 at boot with the file problems on stderr', async () => {
    const file = writeConfig({ proxies: [{ stream: '', group: 'g', sink: { type: 'webhook', url: 'ftp://x' } }], store: { type: 'redis' } });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'server', 'main.ts')], {
      env: { ...process.env, SUBWATCH_CONFIG: file, ESDB_CONNECTION_STRING: esdb.connectionString, SUBWATCH_DATA_DIR: path.join(dir, randomUUID()), PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        `subwatch: Invalid config file ${file}:`,
        '  - proxies[0].stream: must be a non-empty string',
        '  - proxies[0].sink.url: must be an http(s) URL',
        '  - store.type: must be "sqlite" (shared Redis/PostgreSQL stores are not available in this version)',
        '',
      ].join('\n'),
    );
  });

  it('server/main.ts exits 1 when SUBWATCH_CONFIG names a file that does not exist', async () => {
    const file = path.join(dir, 'nope.json');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'server', 'main.ts')], {
      env: { ...process.env, SUBWATCH_CONFIG: file, ESDB_CONNECTION_STRING: esdb.connectionString, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))).toBe(1);
    expect(stderr).toBe(`subwatch: Invalid configuration:\n  - SUBWATCH_CONFIG: cannot read ${file}: no such file\n`);
  });
});
