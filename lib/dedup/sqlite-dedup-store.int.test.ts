import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { runDedupStoreContract } from './dedup-store.contract';
import { createSqliteDedupStore } from './sqlite-dedup-store';

const dir = mkdtempSync(path.join(tmpdir(), 'subwatch-sqlite-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runDedupStoreContract('sqlite', ({ namespace, instanceId, leaseMs, now }) =>
  createSqliteDedupStore({ path: path.join(dir, `${namespace}.db`), instanceId, leaseMs, now }),
);
