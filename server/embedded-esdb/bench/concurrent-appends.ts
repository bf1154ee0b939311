/**
 * Measures single-event appends per second through gRPC against the embedded server in its child
 * process with a data directory, with many appends in flight at once (the case group commit is
 * for). Usage: `node --import tsx server/embedded-esdb/bench/concurrent-appends.ts [concurrency]
 * [seconds] [--memory]`. Prints one JSON line. Not a test: numbers depend on the disk and machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { startEmbeddedEsdb } from '../index';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
  const concurrency = Number(args[0] ?? 32);
  const seconds = Number(args[1] ?? 5);
  const inMemory = process.argv.includes('--memory');
  const dataDir = inMemory ? undefined : mkdtempSync(path.join(tmpdir(), 'esdb-bench-'));
  const server = await startEmbeddedEsdb({ port: 0, dataDir });
  const client = EventStoreDBClient.connectionString(server.connectionString);
  try {
    // Warm-up: connection and server features discovery.
    await client.appendToStream('bench-warmup', jsonEvent({ type: 'warmup', data: {} }));
    let appended = 0;
    const deadline = Date.now() + seconds * 1_000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        for (let n = 0; Date.now() < deadline; n++) {
          await client.appendToStream(`bench-${worker}`, jsonEvent({ type: 'bench-event', data: { worker, n } }));
          appended++;
        }
      }),
    );
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(
      `${JSON.stringify({ mode: inMemory ? 'memory' : 'dataDir', concurrency, seconds: Number(elapsed.toFixed(2)), appended, appendsPerSecond: Math.round(appended / elapsed) })}\n`,
    );
  } finally {
    await client.dispose();
    await server.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`concurrent-appends: ${String(error)}\n`);
  process.exit(1);
});
