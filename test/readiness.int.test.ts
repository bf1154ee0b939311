/**
 * Readiness through the real composition root (`createRuntime`, no Next): with one proxied
 * subscription, `readiness()` turns ready once EventStoreDB answers, the store pings and the
 * subscriber has connected; it reports a reason naming EventStoreDB while the watched server is
 * down, and turns ready again when a server comes back on the same port (same data directory).
 * A subscriber that never connected (its group is missing) keeps it not ready, by name, and so
 * does a dedup store that does not answer (Redis behind a fault proxy that holds its replies).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config/schema';
import { createFaultProxy } from '../server/chaos/fault-proxy';
import { startEmbeddedEsdb, type EmbeddedEsdb } from '../server/embedded-esdb';
import { createRuntime, type Runtime } from '../server/runtime';
import { createTestLogger } from './helpers/server-fixtures';
import { testRedisUrl } from './helpers/service-urls';
import { waitFor } from './helpers/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from './helpers/webhook-receiver';

const logger = createTestLogger();
let dir: string;
let esdb: EmbeddedEsdb | undefined;
let runtime: Runtime | undefined;
let hook: WebhookReceiver | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'subwatch-readiness-int-'));
});

afterAll(async () => {
  await runtime?.stop();
  await esdb?.stop();
  await hook?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The port was just released by the previous server: retry while the OS still holds it. */
async function restartOn(port: number, dataDir: string): Promise<EmbeddedEsdb> {
  return waitFor(
    () => startEmbeddedEsdb({ port, dataDir }).catch((error: unknown) => {
      if ((error as { code?: string }).code === 'EADDRINUSE') return undefined;
      throw error;
    }),
    { timeoutMs: 15_000, intervalMs: 200, message: `a new embedded server on port ${port}` },
  );
}

describe('readiness of the runtime', () => {
  it('is not ready with a reason naming EventStoreDB while the watched server is down, and ready again when it is back', async () => {
    const esdbDataDir = path.join(dir, 'esdb');
    esdb = await startEmbeddedEsdb({ port: 0, dataDir: esdbDataDir });
    const port = esdb.port;
    hook = await startWebhookReceiver();
    const configFile = path.join(dir, 'subwatch.config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        proxies: [
          {
            stream: `orders-${randomUUID()}`,
            group: 'billing',
            createIfMissing: { startFrom: 'start' },
            sink: { type: 'webhook', url: hook.url },
          },
        ],
        store: { type: 'sqlite' },
      }),
    );
    const config = parseConfig({
      ESDB_CONNECTION_STRING: esdb.connectionString,
      SUBWATCH_DATA_DIR: path.join(dir, 'data'),
      SUBWATCH_CONFIG: configFile,
      SUBWATCH_DEMO: '0',
    });
    runtime = await createRuntime(config, logger);
    const service = runtime.service;

    const ready = await waitFor(async () => {
      const r = await service.readiness();
      return r.ready ? r : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100, message: 'the runtime to become ready' });
    expect(ready).toEqual({ ready: true, reasons: [] });

    await esdb.stop();
    const down = await waitFor(async () => {
      const r = await service.readiness();
      return r.ready ? undefined : r;
    }, { timeoutMs: 20_000, intervalMs: 100, message: 'readiness to report the server down' });
    expect(down.reasons.some((reason) => /EventStoreDB/.test(reason))).toBe(true);
    // The store is fine while the server is down: the only problems are about EventStoreDB.
    expect(down.reasons.some((reason) => /dedup store/.test(reason))).toBe(false);

    esdb = await restartOn(port, esdbDataDir);
    const back = await waitFor(async () => {
      const r = await service.readiness();
      return r.ready ? r : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, message: 'the runtime to become ready again' });
    expect(back.reasons).toEqual([]);
  }, 90_000);

  it('is not ready while a proxied subscriber has never connected (its group is missing), naming the subscriber', async () => {
    const server = await startEmbeddedEsdb({ port: 0 });
    const stream = `refunds-${randomUUID()}`;
    const configFile = path.join(dir, `${randomUUID()}.json`);
    writeFileSync(configFile, JSON.stringify({ proxies: [{ stream, group: 'audit', sink: { type: 'webhook', url: 'http://127.0.0.1:9/' } }] }));
    const missing = await createRuntime(
      parseConfig({
        ESDB_CONNECTION_STRING: server.connectionString,
        SUBWATCH_DATA_DIR: path.join(dir, randomUUID()),
        SUBWATCH_CONFIG: configFile,
        SUBWATCH_DEMO: '0',
      }),
      logger,
    );
    try {
      const result = await missing.service.readiness();
      expect(result.ready).toBe(false);
      expect(result.reasons).toEqual([expect.stringMatching(new RegExp(`^subscriber ${stream}::audit has not connected yet`))]);
    } finally {
      await missing.stop();
      await server.stop();
    }
  }, 30_000);

  it('is not ready with a reason naming the dedup store while Redis does not answer, and ready again when it does', async () => {
    const server = await startEmbeddedEsdb({ port: 0 });
    const redisUrl = new URL(testRedisUrl);
    const proxy = await createFaultProxy({ target: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) } });
    const shared = await createRuntime(
      parseConfig({
        ESDB_CONNECTION_STRING: server.connectionString,
        SUBWATCH_DATA_DIR: path.join(dir, randomUUID()),
        SUBWATCH_STORE_URL: `redis://127.0.0.1:${proxy.port}`,
        SUBWATCH_INSTANCE_ID: `readiness-${randomUUID()}`,
        SUBWATCH_DEMO: '0',
      }),
      logger,
      { configFile: null },
    );
    try {
      await waitFor(async () => (await shared.service.readiness()).ready, { timeoutMs: 10_000, message: 'ready with Redis answering' });
      proxy.pause('server-to-client');
      const result = await shared.service.readiness();
      expect(result.ready).toBe(false);
      expect(result.reasons).toEqual([expect.stringMatching(/^dedup store \(Redis \(instance readiness-[^)]+\)\) unavailable: no answer within 2000 ms$/)]);
      proxy.resume('server-to-client');
      await waitFor(async () => (await shared.service.readiness()).ready, { timeoutMs: 10_000, message: 'ready again once Redis answers' });
    } finally {
      proxy.resume('server-to-client');
      await shared.stop();
      await proxy.close();
      await server.stop();
    }
  }, 30_000);
});
