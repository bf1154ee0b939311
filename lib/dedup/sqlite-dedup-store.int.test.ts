import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDedupStoreContract } from './dedup-store.contract';
import { createSqliteDedupStore } from './sqlite-dedup-store';

const dir = mkdtempSync(path.join(tmpdir(), 'subwatch-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runDedupStoreContract('sqlite', ({ namespace, instanceId, leaseMs, now }) =>
  createSqliteDedupStore({ path: path.join(dir, `${namespace}.db`), instanceId, leaseMs, now }),
);

describe('SQLite dedup store specifics', () => {
  for (const durability of ['full', 'normal'] as const) {
    it(`records every one of many concurrent completes durably (${durability})`, async () => {
      const file = path.join(dir, `${randomUUID()}.db`);
      const keys = Array.from({ length: 50 }, () => randomUUID());
      const store = createSqliteDedupStore({ path: file, durability });
      await Promise.all(keys.map((key) => store.complete('orders::billing', key)));
      await store.close();

      const reopened = createSqliteDedupStore({ path: file, durability });
      const results = await Promise.all(keys.map((key) => reopened.claim('orders::billing', key)));
      await reopened.close();
      expect(results.every((r) => r.status === 'duplicate')).toBe(true);
    });
  }

  it('rejects a complete after close instead of losing it silently', async () => {
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`) });
    await store.close();
    await expect(store.complete('orders::billing', randomUUID())).rejects.toThrow(/closed/);
  });

  it('names the file when it cannot be opened', () => {
    expect(() => createSqliteDedupStore({ path: path.join(dir, 'missing-dir', 'x.db') })).toThrow(
      /Cannot open SQLite dedup store at .*missing-dir/,
    );
  });
});
