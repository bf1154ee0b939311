/**
 * `npm run esdb [-- --port N --host H --data-dir DIR --tls-cert PEM --tls-key PEM]`: the embedded
 * server alone, usable by any app like a single node (insecure unless a certificate is given). Port: `--port`, else EMBEDDED_ESDB_PORT, else 2113 (0 = any
 * free port). Host: 127.0.0.1. Without `--data-dir` everything is kept in memory only.
 * Prints the connection string once it listens; stops on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { createEsdbServer } from './create-esdb-server';
import { parseStandaloneArgs } from './standalone-args';

async function main(): Promise<void> {
  const { tls, ...options } = parseStandaloneArgs(process.argv.slice(2), process.env);
  const server = await createEsdbServer({
    ...options,
    tls: tls && { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
  });
  const storage = server.dataDir === undefined ? 'in memory only' : `data in ${server.dataDir}`;
  process.stdout.write(`embedded EventStoreDB-compatible server listening (${storage}): ${server.connectionString}\n`);
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
