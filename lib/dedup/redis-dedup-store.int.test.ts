import Redis from 'ioredis';
import { afterAll } from 'vitest';
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
