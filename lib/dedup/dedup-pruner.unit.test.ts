import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createDedupPruner } from './dedup-pruner';
import { createMemoryDedupStore } from './memory-dedup-store';

const DAY = 24 * 60 * 60 * 1000;

describe('dedup pruner', () => {
  it('removes done keys older than the retention and keeps newer ones', async () => {
    let clock = Date.parse('2026-01-10T00:00:00.000Z');
    const store = createMemoryDedupStore({ now: () => clock });
    await store.complete('orders::billing', 'old');
    clock += 6 * DAY;
    await store.complete('orders::billing', 'recent');
    clock += 2 * DAY; // 'old' is 8 days old, 'recent' 2 days
    const pruner = createDedupPruner({ store, retentionMs: 7 * DAY, logger: pino({ level: 'silent' }), now: () => new Date(clock) });

    expect(await pruner.runOnce()).toBe(1);
    expect(await store.claim('orders::billing', 'old')).toEqual({ status: 'new' });
    expect(await store.claim('orders::billing', 'recent')).toEqual({ status: 'duplicate' });
    const stopped = pruner.stop();
    expect(pruner.stop()).toBe(stopped);
    await stopped;
  });

  it('rejects a retention that is not positive', () => {
    expect(() =>
      createDedupPruner({ store: createMemoryDedupStore(), retentionMs: 0, logger: pino({ level: 'silent' }) }),
    ).toThrow(/retentionMs and intervalMs must be > 0/);
  });
});
