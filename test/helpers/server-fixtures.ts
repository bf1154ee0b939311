/**
 * Server-side fixtures for integration tests under lib/: lib/ itself never imports server/
 * (ESLint boundary), so tests reach the embedded server and the fault proxy through test/.
 */
import pino, { type Logger } from 'pino';

export { startEmbeddedEsdb, type EmbeddedEsdb } from '../../server/embedded-esdb';
export { createFaultProxy, type FaultProxy } from '../../server/chaos/fault-proxy';

/** Silent unless TEST_LOG_LEVEL is set (e.g. `TEST_LOG_LEVEL=debug npx vitest run …`). */
export function createTestLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}
