import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait-for';
import { runDedupStoreContract } from './dedup-store.contract';
import { createSqliteDedupStore, PRUNE_CHUNK_KEYS } from './sqlite-dedup-store';

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

  it('checkpoints the WAL into the database file in the background, long before the writer would', async () => {
    const file = path.join(dir, `${randomUUID()}.db`);
    const store = createSqliteDedupStore({ path: file });
    const emptySize = statSync(file).size;
    // ~3,000 keys are a few hundred WAL pages: far below the writer's own threshold (20,000 pages).
    for (let batch = 0; batch < 30; batch += 1) {
      const keys = Array.from({ length: 100 }, () => randomUUID());
      await Promise.all(keys.map((key) => store.complete('orders::billing', key)));
    }
    // Only a checkpoint writes pages into the database file itself.
    await waitFor(() => statSync(file).size > emptySize + 100 * 1024, {
      timeoutMs: 10_000,
      message: () => `database file to grow past ${emptySize} bytes (now ${statSync(file).size})`,
    });
    await store.close();
  });

  it('prunes a large backlog in chunks, letting the event loop run between them', async () => {
    let clock = 1_700_000_000_000;
    const store = createSqliteDedupStore({ path: path.join(dir, `${randomUUID()}.db`), now: () => clock });
    const old = Array.from({ length: PRUNE_CHUNK_KEYS * 3 + 17 }, () => randomUUID());
    await Promise.all(old.map((key) => store.complete('orders::billing', key)));
    clock += 60_000;
    const recent = randomUUID();
    await store.complete('orders::billing', recent);

    let turns = 0;
    let spinning = true;
    const spin = () => {
      if (!spinning) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const removed = await store.prune(new Date(clock - 1));
    spinning = false;

    expect(removed).toBe(old.length);
    // Four chunks, so at least three turns of the loop ran while pruning.
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(await store.claim('orders::billing', recent)).toEqual({ status: 'duplicate' });
    expect(await store.claim('orders::billing', old[0] as string)).toEqual({ status: 'new' });
    await store.close();
  });

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

describe('SQLite dedup store migration', () => {
  it('adds the per-cause and checkpoint-gap columns to a file written before they existed, keeping its epochs', async () => {
    const file = path.join(dir, `${randomUUID()}.db`);
    // The epochs table exactly as the first release created it, with one closed epoch.
    const old = new Database(file);
    old.exec(`CREATE TABLE epochs (
      scope TEXT NOT NULL, epoch INTEGER NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, end_reason TEXT,
      received INTEGER NOT NULL DEFAULT 0, delivered INTEGER NOT NULL DEFAULT 0,
      duplicates_suppressed INTEGER NOT NULL DEFAULT 0, retried INTEGER NOT NULL DEFAULT 0,
      parked INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (scope, epoch)) WITHOUT ROWID;
      CREATE TABLE epoch_seq (scope TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO epochs VALUES ('orders::billing', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 'stopped', 5, 4, 1, 0, 0, 0);
      INSERT INTO epoch_seq VALUES ('orders::billing', 1);`);
    old.close();

    const store = createSqliteDedupStore({ path: file });
    const [epoch] = await store.listEpochs('orders::billing', 10);
    expect(epoch).toEqual({
      epoch: 1,
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:01:00.000Z',
      endReason: 'stopped',
      received: 5,
      delivered: 4,
      duplicatesSuppressed: 1,
      retried: 0,
      parked: 0,
      skipped: 0,
      duplicatesByCause: { reconnect: 0, timeout: 0, reload: 0, replay: 0, other: 0 },
      checkpointGap: null,
    });
    expect(await store.openEpoch('orders::billing', new Date('2026-01-01T00:02:00.000Z'))).toBe(2);
    await store.close();
    // Opening the migrated file again is a no-op migration.
    const again = createSqliteDedupStore({ path: file });
    expect((await again.listEpochs('orders::billing', 10)).map((e) => e.epoch)).toEqual([2, 1]);
    await again.close();
  });
});
