import { describe, expect, it } from 'vitest';
import { checkDedupStore, type DedupStore } from './dedup-store';
import { createMemoryDedupStore } from './memory-dedup-store';

describe('checkDedupStore', () => {
  it('reports a store whose ping never answers as unavailable after the timeout', async () => {
    const store: DedupStore = { ...createMemoryDedupStore(), ping: () => new Promise<void>(() => {}) };
    expect(await checkDedupStore(store, 20)).toBe('no answer within 20 ms');
  });

  it('reports the reason a ping rejects with', async () => {
    const store: DedupStore = { ...createMemoryDedupStore(), ping: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6379')) };
    expect(await checkDedupStore(store, 1000)).toBe('connect ECONNREFUSED 127.0.0.1:6379');
  });

  it('counts a store without ping as healthy', async () => {
    const { ping: _ping, ...withoutPing } = createMemoryDedupStore();
    expect(await checkDedupStore(withoutPing, 1000)).toBeNull();
  });
});
