/**
 * Dedup stores for the scenarios, each isolated (own SQLite file, Redis key prefix or PostgreSQL
 * schema) and removed again by `dispose`.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import Redis from 'ioredis';
import pg from 'pg';
import type { DedupStore } from '../../lib/dedup/dedup-store';
import { createPostgresDedupStore } from '../../lib/dedup/postgres-dedup-store';
import { createRedisDedupStore } from '../../lib/dedup/redis-dedup-store';
import { createSqliteDedupStore } from '../../lib/dedup/sqlite-dedup-store';
import { testPostgresUrl, testRedisUrl } from '../../test/helpers/service-urls';

export type StoreKind = 'sqlite' | 'redis' | 'postgres';

export interface BenchStore {
  store: DedupStore;
  /** Closes the store and deletes what it wrote. */
  dispose(): Promise<void>;
}

/** @throws when the backend cannot be reached (the caller records the reason). */
export async function openBenchStore(kind: StoreKind, tmpDir: string): Promise<BenchStore> {
  const id = randomUUID().replace(/-/g, '').slice(0, 16);
  if (kind === 'sqlite') {
    // The app's default: a file in the data dir, durable completes (fsync per group commit).
    const store = createSqliteDedupStore({ path: path.join(tmpDir, `dedup-${id}.db`) });
    return { store, dispose: () => store.close() };
  }
  if (kind === 'redis') {
    const prefix = `subwatch-bench-${id}`;
    const store = await createRedisDedupStore({ url: testRedisUrl, prefix });
    return {
      store,
      async dispose() {
        await store.close();
        const redis = new Redis(testRedisUrl, { lazyConnect: true });
        try {
          await redis.connect();
          let cursor = '0';
          do {
            const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
            cursor = next;
            if (keys.length > 0) await redis.del(...keys);
          } while (cursor !== '0');
        } finally {
          redis.disconnect();
        }
      },
    };
  }
  const schema = `bench_${id}`;
  const store = await createPostgresDedupStore({ connectionString: testPostgresUrl, schema });
  return {
    store,
    async dispose() {
      await store.close();
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
