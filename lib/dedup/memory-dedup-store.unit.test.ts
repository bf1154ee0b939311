import { runDedupStoreContract } from './dedup-store.contract';
import { createMemoryDedupData, createMemoryDedupStore, type MemoryDedupData } from './memory-dedup-store';

const databases = new Map<string, MemoryDedupData>();

runDedupStoreContract('memory', ({ namespace, instanceId, leaseMs, now }) => {
  let data = databases.get(namespace);
  if (!data) {
    data = createMemoryDedupData();
    databases.set(namespace, data);
  }
  return createMemoryDedupStore({ data, instanceId, leaseMs, now });
});
