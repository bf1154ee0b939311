/**
 * `npm run esdb`: the embedded server alone, usable by any app like a single insecure node.
 * EMBEDDED_ESDB_PORT (default 2113, 0 = any free port); listens on 127.0.0.1.
 */
import { createEsdbServer } from './create-esdb-server';

async function main(): Promise<void> {
  const rawPort = process.env.EMBEDDED_ESDB_PORT ?? '2113';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`EMBEDDED_ESDB_PORT must be an integer from 0 to 65535, got "${rawPort}".`);
  }
  const server = await createEsdbServer({ host: '127.0.0.1', port });
  process.stdout.write(`embedded EventStoreDB-compatible server listening: ${server.connectionString}\n`);
  const shutdown = (signal: string) => {
    process.stdout.write(`${signal}: stopping embedded server\n`);
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`embedded-esdb: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`embedded-esdb: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
