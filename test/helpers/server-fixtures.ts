/**
 * Server-side fixtures for integration tests under lib/: lib/ itself never imports server/
 * (ESLint boundary), so tests reach the embedded server and the fault proxy through test/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventStoreDBClient } from '@eventstore/db-client';
import pino, { type Logger } from 'pino';
import { startEmbeddedEsdb, type EmbeddedEsdb } from '../../server/embedded-esdb';

export { startEmbeddedEsdb, type EmbeddedEsdb } from '../../server/embedded-esdb';
export { createFaultProxy, type FaultProxy } from '../../server/chaos/fault-proxy';

/** Silent unless TEST_LOG_LEVEL is set (e.g. `TEST_LOG_LEVEL=debug npx vitest run …`). */
export function createTestLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** One embedded server per test file, an admin client on it, and a temp dir for SQLite files. */
export interface EsdbFixture {
  esdb: EmbeddedEsdb;
  admin: EventStoreDBClient;
  dir: string;
}

export async function startEsdbFixture(tmpPrefix: string): Promise<EsdbFixture> {
  const dir = mkdtempSync(path.join(tmpdir(), tmpPrefix));
  const esdb = await startEmbeddedEsdb({ port: 0 });
  return { esdb, admin: EventStoreDBClient.connectionString(esdb.connectionString), dir };
}

/** Tolerates a fixture whose start failed half-way (afterAll still runs). */
export async function stopEsdbFixture(fixture: Partial<EsdbFixture>): Promise<void> {
  await fixture.admin?.dispose();
  await fixture.esdb?.stop();
  if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
}
