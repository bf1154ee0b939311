/**
 * The runtime's first instance heartbeat (issue 8): written once every configured subscriber has
 * started, so the Instances view never shows this instance without its groups for an interval.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { type EventStoreDBClient } from '@eventstore/db-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config/schema';
import { createRuntime, type Runtime } from '../server/runtime';
import { createTestLogger, startEsdbFixture, stopEsdbFixture, type EmbeddedEsdb } from './helpers/server-fixtures';
import { waitFor } from './helpers/wait-for';

const logger = createTestLogger();
let esdb: EmbeddedEsdb;
let admin: EventStoreDBClient;
let dir: string;
let runtime: Runtime | undefined;

beforeAll(async () => {
  ({ esdb, admin, dir } = await startEsdbFixture('subwatch-heartbeat-int-'));
});

afterAll(async () => {
  await runtime?.stop();
  await stopEsdbFixture({ esdb, admin, dir });
});

describe('runtime instance heartbeat', () => {
  it('writes its first beat after the configured subscribers started, listing every proxied group', async () => {
    const stream = `orders-${randomUUID()}`;
    const file = path.join(dir, `${randomUUID()}.json`);
    const sink = { type: 'webhook', url: 'http://127.0.0.1:9/unused' };
    writeFileSync(
      file,
      JSON.stringify({
        proxies: [
          { stream, group: 'billing', createIfMissing: { startFrom: 'start' }, sink },
          { stream, group: 'audit', createIfMissing: { startFrom: 'start' }, sink },
        ],
      }),
    );
    const instanceId = `instance-${randomUUID()}`;
    const config = parseConfig({
      ESDB_CONNECTION_STRING: esdb.connectionString,
      SUBWATCH_DATA_DIR: path.join(dir, randomUUID()),
      SUBWATCH_CONFIG: file,
      SUBWATCH_DEMO: '0',
      SUBWATCH_INSTANCE_ID: instanceId,
    });
    runtime = await createRuntime(config, logger);
    const service = runtime.service;

    // The first beat this instance wrote (beats come every 5 s: polling sees the first one).
    const first = await waitFor(async () => (await service.listInstances()).instances.find((i) => i.instanceId === instanceId), {
      timeoutMs: 4_000,
      message: 'the first heartbeat',
    });
    expect(first.groups.map((g) => `${g.stream}/${g.group}`).sort()).toEqual([`${stream}/audit`, `${stream}/billing`]);
    expect(first.intervalMs).toBe(5000);
  });
});
