import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../test/helpers/service-urls';
import { runDedupStoreContract } from './dedup-store.contract';
import { createRedisDedupStore } from './redis-dedup-store';

const prefixes = new Set<string>();

afterAll(async () => {
  const redis = new Redis(testRedisUrl);
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await redis.quit();
});

runDedupStoreContract('redis', ({ namespace, instanceId, leaseMs, now }) => {
  const prefix = `subwatch-test-${namespace}`;
  prefixes.add(prefix);
  return createRedisDedupStore({ url: testRedisUrl, prefix, instanceId, leaseMs, now });
});

describe('Redis dedup store: records written before per-cause counts', () => {
  it('lists an old epoch record with zero per-cause counts and an unknown checkpoint gap', async () => {
    const prefix = `subwatch-test-${randomUUID()}`;
    prefixes.add(prefix);
    const redis = new Redis(testRedisUrl);
    const old = {
      epoch: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:01:00.000Z',
      endReason: 'stopped',
      received: 3,
      delivered: 2,
      duplicatesSuppressed: 1,
      retried: 0,
      parked: 0,
      skipped: 0,
    };
    await redis.hset(`${prefix}:e:orders::billing`, '1', JSON.stringify(old));
    await redis.quit();
    const store = await createRedisDedupStore({ url: testRedisUrl, prefix });
    try {
      expect(await store.listEpochs('orders::billing', 10)).toEqual([
        { ...old, duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 }, checkpointGap: null },
      ]);
    } finally {
      await store.close();
    }
  });
});
