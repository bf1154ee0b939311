import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../lib/config/schema';
import { testPostgresUrl, testRedisUrl } from '../test/helpers/service-urls';
import { createStore } from './create-store';

const dataDir = mkdtempSync(path.join(tmpdir(), 'subwatch-store-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('createStore', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['SQLite in the data dir by default', { SUBWATCH_DATA_DIR: dataDir }, /^SQLite at .*subwatch\.db$/],
    ['Redis from a redis:// URL', { SUBWATCH_STORE_URL: testRedisUrl, SUBWATCH_INSTANCE_ID: 'test-a' }, /^Redis \(instance test-a\)$/],
    ['PostgreSQL from a postgres:// URL', { SUBWATCH_STORE_URL: testPostgresUrl, SUBWATCH_INSTANCE_ID: 'test-a' }, /^PostgreSQL \(instance test-a\)$/],
  ];
  for (const [name, env, description] of cases) {
    it(`opens ${name}, and a completed key is then a duplicate`, async () => {
      const { store, description: text } = await createStore(parseConfig(env));
      try {
        expect(text).toMatch(description);
        const scope = `orders-${randomUUID()}::billing`;
        const key = randomUUID();
        expect(await store.claim(scope, key)).toEqual({ status: 'new' });
        await store.complete(scope, key);
        expect(await store.claim(scope, key)).toEqual({ status: 'duplicate' });
      } finally {
        await store.close();
      }
    });
  }
});
